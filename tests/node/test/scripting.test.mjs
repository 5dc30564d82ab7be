// Lua scripting through the real libraries that depend on it (issue 4):
// rate-limit-redis under express (exact counts, reset, NOSCRIPT recovery
// after SCRIPT FLUSH), rate-limiter-flexible's RateLimiterRedis over
// node-redis and ioredis with 100 concurrent consumers, redlock 5 keeping 20
// concurrent workers mutually exclusive, and the cron lock with a
// compare-and-delete release; node-redis and ioredis each over RESP3 and
// RESP2. Every scenario runs on redis-server and on vermilion-server.
import assert from 'node:assert/strict';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import Redlock from 'redlock';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { bothTest, sleep } from '../both.mjs';

async function nodeRedis(server, resp) {
  const c = createClient({ url: server.url, RESP: resp, socket: { reconnectStrategy: false } });
  c.on('error', () => {});
  await c.connect();
  return c;
}

async function ioredis(server, resp) {
  const r = new Redis({ host: '127.0.0.1', port: server.port, protocol: resp, lazyConnect: true,
    maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => {});
  await r.connect();
  return r;
}

for (const resp of [3, 2]) {
  bothTest(`rate-limit-redis under express: exact counts, reset, NOSCRIPT recovery (node-redis RESP${resp})`,
    async (server) => {
      const client = await nodeRedis(server, resp);
      const store = new RedisStore({ sendCommand: (...args) => client.sendCommand(args), prefix: 'rl:' });
      const app = express();
      app.use(rateLimit({ windowMs: 60_000, limit: 5, standardHeaders: 'draft-7', legacyHeaders: false, store }));
      app.get('/', (_req, res) => res.send('ok'));
      const http = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
      const url = `http://127.0.0.1:${http.address().port}/`;
      const hit = async () => {
        const r = await fetch(url);
        await r.text();
        return r.status;
      };
      try {
        const first = [];
        for (let i = 0; i < 7; i++) first.push(await hit());
        assert.deepEqual(first, [200, 200, 200, 200, 200, 429, 429]);
        const info = await store.get('127.0.0.1');
        assert.equal(info.totalHits, 7);
        await store.resetKey('127.0.0.1');
        const afterReset = [await hit(), await hit()];
        assert.deepEqual(afterReset, [200, 200]);
        // The scripts vanish from the server: the store reloads them on NOSCRIPT.
        assert.equal(await client.sendCommand(['SCRIPT', 'FLUSH']), 'OK');
        const afterFlush = [];
        for (let i = 0; i < 4; i++) afterFlush.push(await hit());
        assert.deepEqual(afterFlush, [200, 200, 200, 429]);
        assert.equal((await store.get('127.0.0.1')).totalHits, 6);
        return { first, afterReset, afterFlush };
      } finally {
        await new Promise((r) => http.close(r));
        await client.quit();
      }
    });
}

async function consumeConcurrently(limiter, n) {
  const results = await Promise.allSettled(Array.from({ length: n }, () => limiter.consume('user-1')));
  const admitted = results.filter((r) => r.status === 'fulfilled').length;
  const refused = results.filter((r) => r.status === 'rejected' && r.reason && r.reason.remainingPoints === 0).length;
  return { admitted, refused };
}

for (const resp of [3, 2]) {
  bothTest(`rate-limiter-flexible RateLimiterRedis over node-redis RESP${resp}: 100 concurrent, 37 admitted`,
    async (server) => {
      const client = await nodeRedis(server, resp);
      try {
        const limiter = new RateLimiterRedis({ storeClient: client, useRedisPackage: true, points: 37, duration: 60,
          keyPrefix: 'rlflx' });
        const got = await consumeConcurrently(limiter, 100);
        assert.deepEqual(got, { admitted: 37, refused: 63 });
        const left = await limiter.get('user-1');
        assert.equal(left.consumedPoints, 100);
        return got;
      } finally {
        await client.quit();
      }
    });

  bothTest(`rate-limiter-flexible RateLimiterRedis over ioredis RESP${resp}: 100 concurrent, 37 admitted`,
    async (server) => {
      const client = await ioredis(server, resp);
      try {
        const limiter = new RateLimiterRedis({ storeClient: client, points: 37, duration: 60, keyPrefix: 'rlflx' });
        const got = await consumeConcurrently(limiter, 100);
        assert.deepEqual(got, { admitted: 37, refused: 63 });
        return got;
      } finally {
        await client.quit();
      }
    });
}

for (const resp of [3, 2]) {
  bothTest(`redlock 5 with ioredis RESP${resp}: 20 concurrent workers stay mutually exclusive`, async (server) => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => ioredis(server, resp)));
    try {
      let inside = 0;
      let maxInside = 0;
      let done = 0;
      const worker = async (w) => {
        const redlock = new Redlock([clients[w % clients.length]], { retryCount: -1, retryDelay: 5, retryJitter: 5 });
        const lock = await redlock.acquire(['job:resource'], 5000);
        inside++;
        maxInside = Math.max(maxInside, inside);
        await sleep(2);
        inside--;
        done++;
        await lock.release();
      };
      await Promise.all(Array.from({ length: 20 }, (_, w) => worker(w)));
      assert.equal(maxInside, 1);
      assert.equal(done, 20);
      assert.equal(await clients[0].exists('job:resource'), 0);
      return { maxInside, done };
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });
}

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

for (const resp of [3, 2]) {
  bothTest(`cron lock with compare-and-delete release (node-redis RESP${resp}, ioredis RESP${resp})`, async (server) => {
    const a = await nodeRedis(server, resp);
    const b = await ioredis(server, resp);
    try {
      assert.equal(await a.set('cron:lock:report', 'token-a', { NX: true, PX: 30000 }), 'OK');
      assert.equal(await b.set('cron:lock:report', 'token-b', 'PX', 30000, 'NX'), null);
      // The other worker's token does not release the lock.
      assert.equal(await b.eval(RELEASE, 1, 'cron:lock:report', 'token-b'), 0);
      assert.equal(await a.get('cron:lock:report'), 'token-a');
      assert.equal(await a.eval(RELEASE, { keys: ['cron:lock:report'], arguments: ['token-a'] }), 1);
      assert.equal(await b.exists('cron:lock:report'), 0);
      const sha = await a.scriptLoad(RELEASE);
      assert.equal(await b.set('cron:lock:report', 'token-b', 'PX', 30000, 'NX'), 'OK');
      assert.equal(await b.evalsha(sha, 1, 'cron:lock:report', 'token-b'), 1);
      const replies = await b.eval("return {1, 'two', {3}, redis.status_reply('FINE'), false}", 0);
      assert.deepEqual(replies, [1, 'two', [3], 'FINE', null]);
      await assert.rejects(a.eval("return redis.call('nosuchcommand')"), /Unknown Redis command called from script/);
      return { replies };
    } finally {
      await a.quit();
      await b.quit();
    }
  });
}
