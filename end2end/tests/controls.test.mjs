// "Retry failed" in the browser, through the real LLM client: the fake model refuses one
// company; the row shows refused with the model's words, live; after the fault is gone,
// Retry failed queues it again and the row finishes — no reload at any point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBase, withPage, shot } from '../lib/browser.mjs';
import { signUp, createProfile, createCampaign, addTypedAndStart } from '../lib/flows.mjs';

const POISON = 'Poison Widgets';

async function rules(method, body) {
  const base = process.env.FAKE_LLM_URL.replace(/\/v1$/, '');
  const r = await fetch(`${base}/_fake/rules`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  assert.equal(r.status, 204, `fake rules ${method}`);
}

const status = async (page) => (await page.getByTestId('campaign-status').textContent()).trim();

async function until(page, what, check, ms = 60000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await page.waitForTimeout(150);
  }
}

test('a refused row is shown live and "Retry failed" finishes it', async () => {
  for (const v of ['PROVIDERS_BASE_URL', 'FAKE_LLM_URL']) assert.ok(process.env[v], `${v} is set by scripts/test`);
  useBase(process.env.PROVIDERS_BASE_URL);
  await rules('POST', { contains: POISON, fault: 'refusal' });
  try {
    await withPage('controls', async (page, { errors }) => {
      await signUp(page, 'e2e-controls');
      await createProfile(page);
      await createCampaign(page, 'Controls');
      const names = ['Alpha Data', 'Beta Pipelines', POISON, 'Gamma Metrics', 'Delta Queries'];
      await addTypedAndStart(page, names.map((n) => `${n}, ${n.toLowerCase().replace(/ /g, '-')}.example`));
      await until(page, 'the campaign to finish', async () => (await status(page)) === 'done');

      const poison = page.locator(`[data-testid="lead-table"] tbody tr[data-lead="${POISON}"]`);
      assert.equal(await poison.getAttribute('data-status'), 'refused');
      assert.match(await poison.textContent(), /The model declined the score step: \[synthetic\] I can't help with that request\./);
      assert.match(await page.getByTestId('progress').textContent(), /4 done · 1 failed/);
      await shot(page, 'controls-1-refused');

      // The model would answer now: retry the row.
      await rules('DELETE');
      await page.click('button:text("Retry failed")');
      await until(page, 'the retried row to finish', async () =>
        (await poison.getAttribute('data-status')) === 'done' && (await status(page)) === 'done');
      assert.match(await page.getByTestId('progress').textContent(), /5 done · 0 failed/);
      assert.doesNotMatch(await poison.textContent(), /declined/);
      assert.ok(Number(await poison.getByTestId('score').textContent()) >= 0);
      assert.equal(await page.locator('button:text("Retry failed")').count(), 0);
      assert.equal(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
      await shot(page, 'controls-2-retried');
      assert.deepEqual(errors, []);
    });
  } finally {
    await rules('DELETE');
  }
});
