// The app shell: server-rendered, then hydrated; an interaction updates the page
// through wasm without loading a new page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, withPage, open, shot } from '../lib/browser.mjs';

test('pages are server-rendered before any script runs', async () => {
  const res = await fetch(`${BASE}/signup`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<h1[^>]*>Create your account<\/h1>/);
  assert.match(html, /name="email"/);
  assert.match(html, /name="password"/);
  assert.match(html, /At least 10 characters\./);
  assert.match(html, /href="\/privacy"/);
});

test('unknown addresses answer 404 with the app layout', async () => {
  const res = await fetch(`${BASE}/no/such/page`);
  assert.equal(res.status, 404);
  assert.match(await res.text(), /This page does not exist/);
});

test('hydration: typing updates the page through wasm, with no page load', async () => {
  await withPage('hydration', async (page, { offsite, errors }) => {
    await open(page, '/signup');
    await page.evaluate(() => { window.__sameDocument = true; });
    const hint = page.getByTestId('password-hint');
    assert.equal(await hint.textContent(), 'At least 10 characters.');
    await page.fill('#password', 'abc');
    await page.waitForFunction(() => document.querySelector('[data-testid=password-hint]').textContent.includes('7 to go'));
    await page.fill('#password', 'abcdefghijk');
    await page.waitForFunction(() => document.querySelector('[data-testid=password-hint]').textContent === 'Looks good.');
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
    // Client-side navigation through the router: still the same document.
    await page.click('footer a[href="/privacy"]');
    await page.waitForSelector('h1:text("What Cellstack stores")');
    await shot(page, 'privacy');
    assert.deepEqual(offsite, [], 'requests left this machine');
    assert.deepEqual(errors, []);
  });
});
