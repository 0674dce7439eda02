// The same release test through the real provider clients: a second server, configured
// by environment variables only, talks to the fake OpenAI-compatible and Exa servers
// (scripts/test starts them with `cellstack fake-providers`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBase } from '../lib/browser.mjs';
import { mainJob } from '../lib/main_job.mjs';

test('main job through the LLM, search and fetch clients (fake providers)', async () => {
  assert.ok(process.env.PROVIDERS_BASE_URL, 'PROVIDERS_BASE_URL: the server wired to the fake providers');
  useBase(process.env.PROVIDERS_BASE_URL);
  await mainJob('providers');
});
