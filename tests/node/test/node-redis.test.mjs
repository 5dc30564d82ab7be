// node-redis (npm `redis`, current major) against vermilion-server: the seed
// application's cron lock exactly as it is written, the password URL, the
// NOAUTH case, and RESP2 mode. Each test starts its own server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { withServer } from '../server.mjs';

// The seed application's client options (clients.md), with the URL pointed at our server.
function seedClient(url, extra = {}) {
  return createClient({
    url,
    socket: {
      reconnectStrategy: (retries) =>
        retries > 10 ? new Error('Max retries reached') : Math.min(retries * 100, 3000),
    },
    ...extra,
  });
}

async function runCronJob(client, jobName, job) {
  const lockAcquired = await client.set(`cron:lock:${jobName}`, 'locked', { NX: true, EX: 300 });
  if (!lockAcquired) return false;
  try {
    await job();
  } finally {
    await client.del(`cron:lock:${jobName}`);
  }
  return true;
}

test('seed app cron lock over RESP3 (HELLO 3)', async () => {
  await withServer([], async (server) => {
    const a = seedClient(server.url);
    const b = seedClient(server.url);
    a.on('error', () => {});
    b.on('error', () => {});
    await a.connect();
    await b.connect();
    try {
      assert.equal(await a.set('cron:lock:job', 'locked', { NX: true, EX: 300 }), 'OK');
      assert.equal(await b.set('cron:lock:job', 'locked', { NX: true, EX: 300 }), null);
      const ttl = await a.ttl('cron:lock:job');
      assert.ok(ttl > 290 && ttl <= 300, `TTL ${ttl}`);
      assert.equal(await a.get('cron:lock:job'), 'locked');
      assert.equal(await a.del('cron:lock:job'), 1);
      assert.equal(await a.ttl('cron:lock:job'), -2);
      assert.equal(await b.set('cron:lock:job', 'locked', { NX: true, EX: 300 }), 'OK');
      await b.del('cron:lock:job');

      // The real flow: a second instance skips while the first one runs.
      let ran = 0;
      let inner;
      const outer = await runCronJob(a, 'portfolio-update', async () => {
        ran++;
        inner = await runCronJob(b, 'portfolio-update', async () => { ran++; });
      });
      assert.equal(outer, true);
      assert.equal(inner, false);
      assert.equal(ran, 1);
      assert.equal(await a.exists('cron:lock:portfolio-update'), 0);
    } finally {
      await a.quit();
      await b.quit();
    }
  });
});

test('common commands and reply types over RESP3', async () => {
  await withServer([], async (server) => {
    const c = seedClient(server.url);
    c.on('error', () => {});
    await c.connect();
    try {
      assert.equal(await c.ping(), 'PONG');
      assert.equal(await c.set('n', '41'), 'OK');
      assert.equal(await c.incr('n'), 42);
      assert.equal(await c.incrByFloat('n', 0.5), '42.5');
      assert.deepEqual(await c.mGet(['n', 'missing']), ['42.5', null]);
      assert.equal(await c.expire('n', 100), 1);
      assert.ok((await c.pTTL('n')) > 90000);
      assert.equal(await c.persist('n'), 1);
      await c.mSet({ 'sess:1': 'a', 'sess:2': 'b', other: 'c' });
      const seen = [];
      for await (const keys of c.scanIterator({ MATCH: 'sess:*', COUNT: 100 })) seen.push(...keys);
      assert.deepEqual(seen.sort(), ['sess:1', 'sess:2']);
      assert.equal(await c.dbSize(), 4);
      assert.match(await c.info('server'), /redis_version:\d+\.\d+\.\d+/);
      const hello = await c.sendCommand(['HELLO', '3']);
      assert.equal(hello.proto ?? hello.get?.('proto'), 3);
      assert.equal(await c.get('missing'), null);
      assert.equal(await c.sendCommand(['ECHO', 'é€\u0000']), 'é€\u0000');
      await assert.rejects(c.sendCommand(['NOSUCHCMD']), /ERR unknown command/);
      await assert.rejects(c.incr('other'), /ERR value is not an integer or out of range/);
      assert.equal(await c.flushDb(), 'OK');
    } finally {
      await c.quit();
    }
  });
});

test('password URL redis://:pw@host:port (HELLO 3 AUTH default pw)', async () => {
  await withServer(['--requirepass', 'pw'], async (server) => {
    const c = seedClient(`redis://:pw@127.0.0.1:${server.port}`);
    c.on('error', () => {});
    await c.connect();
    try {
      assert.equal(await c.ping(), 'PONG');
      assert.equal(await c.set('cron:lock:job', 'locked', { NX: true, EX: 300 }), 'OK');
      assert.equal(await c.set('cron:lock:job', 'locked', { NX: true, EX: 300 }), null);
      assert.equal(await c.del('cron:lock:job'), 1);
    } finally {
      await c.quit();
    }
  });
});

test('without the password: HELLO 3 fails with NOAUTH and connect rejects', async () => {
  await withServer(['--requirepass', 'pw'], async (server) => {
    const c = createClient({ url: server.url, socket: { reconnectStrategy: false } });
    c.on('error', () => {});
    await assert.rejects(c.connect(), /NOAUTH/);
    if (c.isOpen) c.destroy();
  });
});

test('without the password in RESP2 mode: commands get NOAUTH Authentication required.', async () => {
  await withServer(['--requirepass', 'pw'], async (server) => {
    const c = createClient({ url: server.url, RESP: 2, socket: { reconnectStrategy: false } });
    c.on('error', () => {});
    await c.connect();
    try {
      await assert.rejects(c.get('k'), (err) => {
        assert.equal(err.message, 'NOAUTH Authentication required.');
        return true;
      });
    } finally {
      c.destroy();
    }
  });
});

test('wrong password in the URL: WRONGPASS', async () => {
  await withServer(['--requirepass', 'pw'], async (server) => {
    const c = createClient({ url: `redis://:nope@127.0.0.1:${server.port}`, socket: { reconnectStrategy: false } });
    c.on('error', () => {});
    await assert.rejects(c.connect(), /WRONGPASS invalid username-password pair or user is disabled\./);
    if (c.isOpen) c.destroy();
  });
});

test('seed app cron lock in RESP2 mode, with password and database in the URL', async () => {
  await withServer(['--requirepass', 'pw'], async (server) => {
    const c = seedClient(`redis://:pw@127.0.0.1:${server.port}/2`, { RESP: 2 });
    c.on('error', () => {});
    await c.connect();
    try {
      assert.equal(await c.set('cron:lock:job', 'locked', { NX: true, EX: 300 }), 'OK');
      assert.equal(await c.set('cron:lock:job', 'locked', { NX: true, EX: 300 }), null);
      const ttl = await c.ttl('cron:lock:job');
      assert.ok(ttl > 290 && ttl <= 300, `TTL ${ttl}`);
      assert.equal(await c.del('cron:lock:job'), 1);
      assert.equal(await c.get('missing'), null);
      assert.match(await c.sendCommand(['CLIENT', 'INFO']), / db=2 /);
    } finally {
      await c.quit();
    }
  });
});
