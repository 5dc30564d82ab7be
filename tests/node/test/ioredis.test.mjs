// ioredis against vermilion-server: connect (hello 3 / info ready check), set, get, quit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { withServer } from '../server.mjs';

test('ioredis connects, passes its INFO ready check, sets and gets', async () => {
  await withServer([], async (server) => {
    const r = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true, maxRetriesPerRequest: 1,
      retryStrategy: () => null });
    r.on('error', () => {});
    await r.connect();
    try {
      assert.equal(r.status, 'ready');
      assert.equal(await r.set('k', 'v', 'EX', 100, 'NX'), 'OK');
      assert.equal(await r.set('k', 'v', 'EX', 100, 'NX'), null);
      assert.equal(await r.get('k'), 'v');
      assert.equal(await r.incrby('n', 5), 5);
      assert.deepEqual(await r.mget('k', 'n', 'missing'), ['v', '5', null]);
    } finally {
      assert.equal(await r.quit(), 'OK');
    }
  });
});

test('ioredis with password', async () => {
  await withServer(['--requirepass', 'pw'], async (server) => {
    const r = new Redis(`redis://:pw@127.0.0.1:${server.port}`, { lazyConnect: true, retryStrategy: () => null });
    r.on('error', () => {});
    await r.connect();
    try {
      assert.equal(await r.ping(), 'PONG');
    } finally {
      await r.quit();
    }
  });
});
