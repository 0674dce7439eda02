// Controls and a server restart in the browser: pause holds the work and resume
// continues it; then the server is killed (SIGKILL) mid-campaign and started again. The
// page's event stream reconnects by itself (Last-Event-ID), the table keeps filling
// without a reload, and every row ends exactly as the server has it — no gaps. Last,
// cancel stops a second campaign.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { useBase, withPage, shot } from '../lib/browser.mjs';
import { signUp, createProfile, createCampaign, addTypedAndStart } from '../lib/flows.mjs';

const COMPANIES = 40;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function startServer(port) {
  return spawn(process.env.SERVER_BIN, [], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.RESTART_DATABASE_URL,
      CELLSTACK_ADDR: `127.0.0.1:${port}`,
      PIPELINE_WORKERS: '2',
      PIPELINE_STEP_DELAY_MS: '120', // slow enough to kill it mid-campaign
      PIPELINE_LEASE_SECS: '3', // the killed instance's tasks are taken over quickly
      FETCH_WEBSITES: 'false',
      RUST_LOG: 'warn',
    },
    stdio: 'ignore',
  });
}

async function healthy(base) {
  for (let i = 0; i < 100; i += 1) {
    try { if ((await fetch(`${base}/healthz`)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not start');
}

const progress = async (page) => {
  const text = await page.getByTestId('progress').textContent();
  return Number(/(\d+) done/.exec(text)[1]);
};

test('a running campaign keeps filling in the browser across a server restart', async () => {
  for (const v of ['SERVER_BIN', 'RESTART_DATABASE_URL', 'LEPTOS_SITE_ROOT']) assert.ok(process.env[v], `${v} is set by scripts/test`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server = startServer(port);
  try {
    await healthy(base);
    useBase(base);
    await withPage('restart', async (page, { errors }) => {
      await signUp(page, 'e2e-restart');
      await createProfile(page);
      await createCampaign(page, 'Restart');
      const lines = Array.from({ length: COMPANIES }, (_, i) => `Company ${i + 1}, restart-${i + 1}.example`);
      await addTypedAndStart(page, lines);
      await page.locator('.live.on').waitFor();
      while ((await progress(page)) < 3) await page.waitForTimeout(100);

      // Pause holds the work; resume continues it.
      await page.click('button:text("Pause")');
      await page.locator('[data-testid="campaign-status"]', { hasText: 'paused' }).waitFor();
      const paused = await progress(page);
      await page.waitForTimeout(1500);
      assert.ok((await progress(page)) <= paused + 2, 'rows kept finishing while paused'); // at most the 2 in flight
      await page.click('button:text("Resume")');
      await page.locator('[data-testid="campaign-status"]', { hasText: 'running' }).waitFor();

      // Kill the server mid-campaign; the page notices the stream is gone.
      server.kill('SIGKILL');
      await page.locator('.live:not(.on)').waitFor();
      const before = await progress(page);
      assert.ok(before < COMPANIES, 'the kill should land mid-campaign');
      await shot(page, 'restart-1-disconnected');
      server = startServer(port);
      await healthy(base);

      // The stream comes back by itself and the table finishes filling.
      await page.locator('.live.on').waitFor({ timeout: 30000 });
      const deadline = Date.now() + 120000;
      while ((await page.getByTestId('campaign-status').textContent()).trim() !== 'done') {
        assert.ok(Date.now() < deadline, 'the campaign did not finish after the restart');
        await page.waitForTimeout(200);
      }
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
      assert.equal(await progress(page), COMPANIES);
      await shot(page, 'restart-2-done');

      // Every row shows what the server holds: no event was lost across the restart.
      const server_rows = await page.evaluate(async () => {
        const id = location.pathname.split('/').pop();
        const r = await fetch('/api/campaigns/get', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: `id=${id}`,
        });
        return (await r.json()).companies.map((c) => [c.name, c.status, c.score]);
      });
      const shown = await page.locator('[data-testid="lead-table"] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [tr.dataset.lead, tr.dataset.status, Number(tr.querySelector('[data-testid="score"]')?.textContent)]));
      assert.equal(shown.length, COMPANIES);
      const key = (rows) => rows.map((r) => r.join('|')).sort();
      assert.deepEqual(key(shown), key(server_rows));

      // Cancel stops a second campaign for good: the rows not yet done show cancelled at
      // once (one event for all of them), and nothing finishes afterwards.
      await createCampaign(page, 'Cancel me');
      await addTypedAndStart(page, lines.map((l) => l.replace(/restart-/g, 'cancel-')));
      await page.locator('.live.on').waitFor();
      while ((await progress(page)) < 2) await page.waitForTimeout(100);
      // Cancel asks first (it is final).
      page.once('dialog', (d) => d.accept());
      await page.click('button:text("Cancel")');
      await page.locator('[data-testid="campaign-status"]', { hasText: 'cancelled' }).waitFor();
      const statuses = async () => page.locator('[data-testid="lead-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
      const after = await statuses();
      assert.deepEqual([...new Set(after)].sort(), ['cancelled', 'done']);
      const finished = after.filter((s) => s === 'done').length;
      assert.ok(finished < COMPANIES, 'the cancel should land mid-campaign');
      await page.waitForTimeout(1500);
      assert.deepEqual(await statuses(), after, 'rows changed after the cancel');
      assert.equal(await progress(page), finished);
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
      await shot(page, 'restart-3-cancelled');
      assert.deepEqual(errors, []);
    });
  } finally {
    server.kill('SIGKILL');
  }
});
