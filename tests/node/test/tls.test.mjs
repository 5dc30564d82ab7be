// node-redis (rediss:// URL) and ioredis (`tls` option) over TLS with a
// password, against vermilion-server and redis-server 7.0 with the same
// throwaway certificates (tests/tls/gen-certs.sh): the seed application's
// cron lock, session-style keys with TTLs, a rate-limit counter in a
// pipeline, and a client that does not trust the server's CA.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import Redis from 'ioredis';
import { withServer, freePort, BIN, REF_BIN } from '../server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PW = 'node-tls-pw';
let dir;
let files;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vmnode-tls-'));
  execFileSync(path.join(repo, 'tests/tls/gen-certs.sh'), [dir]);
  const read = (f) => readFileSync(path.join(dir, f));
  files = { ca: read('ca.crt'), cert: read('client.crt'), key: read('client.key'), otherCa: read('other-ca.crt') };
});

after(() => rmSync(dir, { recursive: true, force: true }));

// Starts `bin` with a plain port (for the harness's probe) and a TLS port; runs fn(tlsPort).
async function withTlsServer(bin, fn) {
  const tlsPort = await freePort();
  const args = ['--requirepass', PW, '--tls-port', String(tlsPort),
    '--tls-cert-file', path.join(dir, 'server.crt'), '--tls-key-file', path.join(dir, 'server.key'),
    '--tls-ca-cert-file', path.join(dir, 'ca.crt')];
  return withServer(args, () => fn(tlsPort), bin);
}

async function nodeRedisScenario(port) {
  const c = createClient({
    url: `rediss://default:${PW}@127.0.0.1:${port}`,
    socket: { tls: true, ca: files.ca, cert: files.cert, key: files.key, servername: 'localhost' },
  });
  c.on('error', () => {});
  await c.connect();
  try {
    const out = [];
    out.push(await c.set('cron:lock:job', 'locked', { NX: true, EX: 300 }));
    out.push(await c.set('cron:lock:job', 'locked', { NX: true, EX: 300 }));
    out.push(await c.del('cron:lock:job'));
    out.push(await c.set('sess:abc', JSON.stringify({ cookie: { maxAge: 86400000 }, user: 'u1' }), { EX: 86400 }));
    out.push(JSON.parse(await c.get('sess:abc')).user);
    out.push((await c.ttl('sess:abc')) > 86000);
    const big = 'v'.repeat(1 << 20);
    out.push(await c.set('cache:big', big));
    out.push((await c.get('cache:big')).length);
    out.push(await c.hello().then((h) => h.proto));
    await c.flushAll();
    return out;
  } finally {
    await c.quit();
  }
}

async function ioredisScenario(port) {
  const c = new Redis({
    port, host: '127.0.0.1', password: PW, lazyConnect: true, maxRetriesPerRequest: 1,
    tls: { ca: files.ca, cert: files.cert, key: files.key, servername: 'localhost' },
  });
  c.on('error', () => {});
  await c.connect();
  try {
    const p = c.pipeline();
    for (let i = 0; i < 50; i++) p.incr('rl:1.2.3.4');
    p.pexpire('rl:1.2.3.4', 60000);
    p.pttl('rl:1.2.3.4');
    const res = await p.exec();
    const out = [res[49][1], res[50][1], res[51][1] > 59000];
    out.push(await c.set('cron:lock:other', 'locked', 'EX', 300, 'NX'));
    out.push(await c.dbsize());
    await c.flushall();
    return out;
  } finally {
    c.disconnect();
  }
}

// A client that trusts another CA must not connect.
async function untrustedFails(port) {
  const c = new Redis({
    port, host: '127.0.0.1', password: PW, lazyConnect: true, maxRetriesPerRequest: 0,
    retryStrategy: () => null, tls: { ca: files.otherCa, cert: files.cert, key: files.key, servername: 'localhost' },
  });
  c.on('error', () => {});
  try {
    await c.connect();
    return false;
  } catch {
    return true;
  } finally {
    c.disconnect();
  }
}

test('node-redis over rediss:// with a client certificate matches redis-server', async () => {
  const got = await withTlsServer(BIN, nodeRedisScenario);
  const want = await withTlsServer(REF_BIN, nodeRedisScenario);
  assert.deepEqual(got, want);
  assert.deepEqual(got, ['OK', null, 1, 'OK', 'u1', true, 'OK', 1 << 20, 3]);
});

test('ioredis over TLS: pipelined rate-limit counter and lock match redis-server', async () => {
  const got = await withTlsServer(BIN, ioredisScenario);
  const want = await withTlsServer(REF_BIN, ioredisScenario);
  assert.deepEqual(got, want);
  assert.deepEqual(got, [50, 1, true, 'OK', 2]);
});

test('a client that does not trust the server certificate fails on both', async () => {
  assert.equal(await withTlsServer(BIN, untrustedFails), true);
  assert.equal(await withTlsServer(REF_BIN, untrustedFails), true);
});
