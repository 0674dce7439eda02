// Shared helpers for the browser tests: Debian's Chromium via playwright-core,
// screenshots as artifacts, and a record of any request that leaves this machine.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export let BASE = (process.env.BASE_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');

/** Points this test file at another server (ES module bindings are live). */
export function useBase(url) {
  BASE = url.replace(/\/$/, '');
}
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
];

/** Runs `fn(page, extras)` in a fresh browser; screenshots the page if it throws. */
export async function withPage(name, fn) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const offsite = [];
  const errors = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (['data:', 'blob:'].includes(u.protocol)) return;
    if (!['127.0.0.1', 'localhost'].includes(u.hostname)) offsite.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await fn(page, { offsite, errors, context });
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, `${name}-failure.png`), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await browser.close();
  }
}

export async function shot(page, name) {
  // The progress bar eases its width over 0.3 s: wait it out so the picture shows the
  // numbers next to it.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Navigates and waits until the wasm has hydrated the page. */
export async function open(page, path) {
  await page.goto(BASE + path);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 20000 });
}

let counter = 0;
export function uniqueEmail(tag) {
  counter += 1;
  return `${tag}-${Date.now()}-${process.pid}-${counter}@example.com`;
}
