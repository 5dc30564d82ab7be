// Runs one client scenario against the reference redis-server and against
// vermilion-server, each on a fresh server. Not a test file: helpers only.
//
// A scenario is `async (server) => transcript`: it asserts concrete expected
// values itself (so a wrong answer fails on the server that gave it) and
// returns a JSON-able transcript of what it observed (timing-dependent values
// normalised to ranges or booleans); the last subtest checks that both servers
// produced the same transcript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BIN, REF_BIN, withServer } from './server.mjs';

export const REFERENCE = 'reference redis-server';
export const VERMILION = 'vermilion-server';
const SERVERS = [
  { name: REFERENCE, bin: REF_BIN },
  { name: VERMILION, bin: BIN },
];

/** Declare a top-level test running `scenario` on both servers and comparing the transcripts. */
export function bothTest(name, scenario, extraArgs = []) {
  test(name, async (t) => {
    const transcripts = new Map();
    for (const { name: label, bin } of SERVERS) {
      // The scenario's name is repeated in each subtest name: JUnit-based failure lists show subtests alone.
      await t.test(`${label}: ${name}`, async () => {
        transcripts.set(label, await withServer(extraArgs, scenario, bin));
      });
    }
    await t.test(`same observable results on both servers: ${name}`, (tt) => {
      if (transcripts.size < SERVERS.length) {
        tt.skip('a server run failed: nothing to compare');
        return;
      }
      assert.deepEqual(transcripts.get(VERMILION), transcripts.get(REFERENCE));
    });
  });
}

/** Assert that `value` lies in [lo, hi] (the message names what was measured); returns true for transcripts. */
export function assertBetween(value, lo, hi, what) {
  assert.ok(typeof value === 'number' && value >= lo && value <= hi, `${what}: ${value} not in [${lo}, ${hi}]`);
  return true;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A deep copy of `value` with client-side clock readings replaced by a marker:
 * ISO timestamps (session cookie `expires`) and epoch milliseconds under an
 * `expires` key (keyv). They differ between two runs but never come from the server.
 */
export function scrubTimes(value) {
  return JSON.parse(
    JSON.stringify(value, (key, v) => {
      if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v)) return '<timestamp>';
      if (key === 'expires' && typeof v === 'number') return '<epoch ms>';
      return v;
    }),
  );
}
