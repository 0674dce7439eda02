// Accounts: sign up, sign out, a failed sign-in, sign in, export, delete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE, withPage, open, shot, uniqueEmail } from '../lib/browser.mjs';

const PASSWORD = 'correct horse battery staple';

async function fieldError(page, field) {
  const el = page.locator(`.field-error[data-field="${field}"]`);
  await el.waitFor({ timeout: 10000 });
  return (await el.textContent()).trim();
}

test('a new user signs up, signs out, fails, signs in, exports and deletes the account', async () => {
  const email = uniqueEmail('e2e-account');
  await withPage('accounts', async (page, { offsite, context }) => {
    // Sign up: a short password is refused next to the field.
    await open(page, '/signup?next=/account');
    await page.fill('#email', email);
    await page.fill('#password', 'short');
    await page.click('button[type=submit]');
    assert.equal(await fieldError(page, 'password'), 'Use at least 10 characters (5 so far).');
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${BASE}/account`);
    await page.locator('.nav-user', { hasText: email }).waitFor();
    assert.match(await page.getByTestId('usage').textContent(), /^0 of 3 campaigns used in /);
    await shot(page, 'account');

    // Only the session cookie, HttpOnly and SameSite=Lax.
    const cookies = await context.cookies();
    assert.deepEqual(cookies.map((c) => c.name), ['cellstack_session']);
    assert.equal(cookies[0].httpOnly, true);
    assert.equal(cookies[0].sameSite, 'Lax');

    // Sign out from the header.
    await page.click('header button:text("Sign out")');
    await page.locator('header a:text("Sign in")').waitFor();
    assert.deepEqual(await context.cookies(), []);

    // The same email cannot sign up twice.
    await open(page, '/signup');
    await page.fill('#email', email.toUpperCase());
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    assert.equal(await fieldError(page, 'email'), 'An account with this email already exists. Sign in instead.');

    // A wrong password, then the right one; we come back where we were going.
    await open(page, '/account');
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.fill('#email', email);
    await page.fill('#password', 'not the password');
    await page.click('button[type=submit]');
    assert.equal(await fieldError(page, 'password'), 'That email and password do not match.');
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${BASE}/account`);

    // Export all my data.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:text("Export all my data")'),
    ]);
    const doc = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(doc.format, 'cellstack-export');
    assert.equal(doc.version, 1);
    assert.equal(doc.user.email, email);
    assert.deepEqual(doc.profiles, []);
    assert.deepEqual(doc.campaigns, []);

    // Delete: the wrong confirmation is refused, the right one removes the account.
    await page.fill('#confirm_email', 'someone@else.example');
    await page.click('button:text("Delete my account")');
    assert.equal(await fieldError(page, 'confirm_email'), "Type your account's email exactly to confirm.");
    await page.fill('#confirm_email', email);
    await page.click('button:text("Delete my account")');
    await page.locator('header a:text("Sign in")').waitFor();

    await open(page, '/login');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    assert.equal(await fieldError(page, 'password'), 'That email and password do not match.');
    assert.deepEqual(offsite, [], 'requests left this machine');
  });
});

test('repeated failed sign-ins are refused with 429 and a retry time', async () => {
  const email = uniqueEmail('e2e-throttle');
  let last;
  for (let i = 0; i < 9; i += 1) {
    last = await fetch(`${BASE}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ email, password: 'wrong password here' }),
    });
  }
  assert.equal(last.status, 429);
  const retry = Number(last.headers.get('retry-after'));
  assert.ok(retry > 0 && retry <= 900, `retry-after ${retry}`);
  assert.deepEqual(await last.json(), { Throttled: { retry_after_secs: retry } });
});
