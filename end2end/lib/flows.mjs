// Steps shared by several browser tests.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, open, uniqueEmail } from './browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
// The field cases and company lists: $CELLSTACK_SHARED, else `shared/` beside the
// checkout or any folder above it, else /work/shared (the same lookup as app::testdata).
function sharedDir() {
  const tried = [];
  if (process.env.CELLSTACK_SHARED) tried.push(process.env.CELLSTACK_SHARED);
  for (let dir = HERE; ; dir = dirname(dir)) {
    tried.push(join(dir, 'shared'));
    if (dirname(dir) === dir) break;
  }
  tried.push('/work/shared');
  const found = tried.find((d) => existsSync(join(d, 'cases', 'INDEX.md')));
  if (!found) throw new Error(`shared/ not found; tried ${tried.join(', ')}; set CELLSTACK_SHARED`);
  return found;
}
export const SHARED = sharedDir();

export async function signUp(page, tag) {
  const email = uniqueEmail(tag);
  await open(page, '/signup?next=/campaigns');
  await page.fill('#email', email);
  await page.fill('#password', 'correct horse battery staple');
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/campaigns`);
  await page.waitForSelector('body[data-hydrated="true"]');
  return email;
}

export async function createCampaign(page, name) {
  await open(page, '/campaigns/new');
  await page.fill('#name', name);
  await page.fill('#icp', 'B2B software companies selling to developers or data teams, founded 2008 or later, US-based');
  const titles = page.locator('[data-item="persona-title"]');
  await titles.nth(0).fill('VP Engineering');
  await page.locator('[data-item="persona-description"]').nth(0).fill('Owns developer productivity');
  await page.click('[data-add="persona"]');
  await titles.nth(1).fill('Head of Data');
  await page.locator('[data-item="persona-description"]').nth(1).fill('Runs the data platform');
  await page.check('#funding_on');
  await page.fill('#funding_months', '18');
  await page.click('[data-add="role"]');
  await page.locator('[data-item="role"]').nth(0).fill('data engineer');
  await page.click('[data-add="tool"]');
  await page.locator('[data-item="tool"]').nth(0).fill('Snowflake');
  await page.selectOption('#profile', { label: 'Acme Data' });
  await page.click('button:text("Create campaign")');
  await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
  await page.locator('h1', { hasText: name }).waitFor();
}


/** Drops a file on the drop zone with a synthetic DataTransfer, as a user's drag would. */
export async function dropFile(page, path) {
  const bytes = await readFile(path);
  const dataTransfer = await page.evaluateHandle(({ b64, name }) => {
    const raw = atob(b64);
    const buf = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += 1) buf[i] = raw.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([buf], name, { type: 'text/csv' }));
    return dt;
  }, { b64: bytes.toString('base64'), name: basename(path) });
  await page.dispatchEvent('[data-testid="drop-zone"]', 'dragover', { dataTransfer });
  assert.match(await page.getAttribute('[data-testid="drop-zone"]', 'class'), /over/);
  await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer });
}

export async function createProfile(page) {
  await open(page, '/profiles/new');
  await fillProfile(page);
}

// On the new-profile page: a B2B data-tools vendor with two writing samples, saved.
export async function fillProfile(page) {
  await page.fill('#name', 'Acme Data');
  await page.fill('#website', 'acme-data.example');
  await page.fill('#product', 'Warehouse-native data quality checks for analytics and data engineering teams.');
  await page.fill('#audience', 'Data and platform teams at B2B software companies');
  await page.locator('[data-item="sample"]').nth(0).fill('Hi Sam,\n\nSaw your team is scaling the warehouse. Worth a chat?\n\nBest,\nAna');
  await page.click('[data-add="sample"]');
  await page.locator('[data-item="sample"]').nth(1).fill('Hi Jo,\n\nQuick idea for your dbt tests.\n\nBest,\nAna');
  await page.click('button:text("Save profile")');
  await page.waitForURL(`${BASE}/profiles`);
}

// On a draft campaign's page: types `lines` ("Name, website") into the manual box, adds
// them, marks the document (so a test can tell a reload happened) and starts the run.
export async function addTypedAndStart(page, lines) {
  await page.fill('#manual', lines.join('\n'));
  await page.click('button:text("Add companies")');
  await page.getByTestId('add-report').waitFor();
  await page.locator('[data-testid="start"]', { hasText: `${lines.length} companies` }).waitFor();
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.click('[data-testid="start"]');
  await page.getByTestId('lead-table').waitFor();
}
