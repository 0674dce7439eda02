// The release test: what a new user does on day one, on the real YC company list, in a
// real browser, with the keyless built-in analyzer (websites cannot be fetched here, so
// they show as unreachable and scores come from the file's columns).
import { test } from 'node:test';
import { mainJob } from '../lib/main_job.mjs';

test('main job with the built-in analyzer: sign up, profile, campaign, drop the YC file, run, read, revise, export', async () => {
  await mainJob('builtin');
});
