// cache-manager with keyv + @keyv/redis (which uses node-redis), unchanged,
// against both the reference redis-server and vermilion-server: set with TTL,
// get, ttl, mget, mset, del, mdel, wrap, clear, expiry done by the server,
// namespaces, and keyv's own API over the same store (has, getMany, setMany,
// deleteMany, iterator).
//
// @keyv/redis swallows command errors and emits them as 'error' events (a
// failed SCAN makes clear() a silent no-op), so every scenario collects those
// events and asserts there were none.
import assert from 'node:assert/strict';
import { Keyv } from 'keyv';
import KeyvRedis, { createKeyv } from '@keyv/redis';
import { createCache } from 'cache-manager';
import { createClient } from 'redis';
import { bothTest, assertBetween, scrubTimes, sleep } from '../both.mjs';

async function connect(url) {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  return client;
}

// Record every error a keyv instance or its store emits.
function collectErrors(keyv, errors) {
  keyv.on('error', (e) => errors.push(String(e?.message ?? e)));
  return keyv;
}

async function sortedKeys(client, pattern = '*') {
  return (await client.keys(pattern)).sort();
}

// The setup of the cache-manager README: one Keyv store backed by KeyvRedis.
async function cacheManagerScenario(server) {
  const raw = await connect(server.url);
  const errors = [];
  const keyv = collectErrors(new Keyv({ store: new KeyvRedis(server.url) }), errors);
  const cache = createCache({ stores: [keyv] });
  const out = {};
  try {
    // set with TTL, get, ttl
    assert.deepEqual(await cache.set('user:1', { name: 'alice', roles: ['admin'] }, 60_000), {
      name: 'alice',
      roles: ['admin'],
    });
    out.get = await cache.get('user:1');
    assert.deepEqual(out.get, { name: 'alice', roles: ['admin'] });
    out.getMissing = await cache.get('user:404');
    assert.equal(out.getMissing, undefined);
    const expires = await cache.ttl('user:1');
    out.ttl = assertBetween(expires - Date.now(), 55_000, 60_000, 'cache.ttl() - now');
    out.keys = await sortedKeys(raw);
    assert.deepEqual(out.keys, ['keyv::keyv:user:1']);
    out.pttl = assertBetween(await raw.pTTL('keyv::keyv:user:1'), 55_000, 60_000, 'PTTL of the stored key');
    const stored = JSON.parse(await raw.get('keyv::keyv:user:1'));
    assert.deepEqual(stored.value, { name: 'alice', roles: ['admin'] });
    out.stored = stored;

    // no TTL: the key never expires
    await cache.set('forever', 'ever');
    assert.equal(await raw.pTTL('keyv::keyv:forever'), -1);
    assert.equal(await cache.ttl('forever'), undefined);

    // mset / mget (with a miss in the middle)
    await cache.mset([
      { key: 'a', value: 1, ttl: 30_000 },
      { key: 'b', value: 'two' },
      { key: 'c', value: { three: [3] }, ttl: 30_000 },
    ]);
    assert.deepEqual(errors, [], 'store errors after mset');
    out.mget = await cache.mget(['a', 'nope', 'b', 'c']);
    assert.deepEqual(out.mget, [1, undefined, 'two', { three: [3] }]);
    assertBetween(await raw.pTTL('keyv::keyv:a'), 25_000, 30_000, 'PTTL after mset with ttl');

    // del / mdel
    assert.equal(await cache.del('a'), true);
    assert.equal(await cache.get('a'), undefined);
    assert.equal(await cache.mdel(['b', 'c', 'nope']), true);
    out.mgetAfterDel = await cache.mget(['a', 'b', 'c']);
    assert.deepEqual(out.mgetAfterDel, [undefined, undefined, undefined]);
    out.keysAfterDel = await sortedKeys(raw);
    assert.deepEqual(out.keysAfterDel, ['keyv::keyv:forever', 'keyv::keyv:user:1']);

    // a short TTL: the server expires the key itself
    await cache.set('flash', 'gone soon', 300);
    assert.equal(await cache.get('flash'), 'gone soon');
    await sleep(700);
    out.flashExists = await raw.exists('keyv::keyv:flash');
    assert.equal(out.flashExists, 0);
    assert.equal(await cache.get('flash'), undefined);

    // wrap: computed once, then served from the cache
    let calls = 0;
    const compute = async () => {
      calls++;
      return { computed: calls };
    };
    out.wrap1 = await cache.wrap('expensive', compute, 10_000);
    out.wrap2 = await cache.wrap('expensive', compute, 10_000);
    assert.deepEqual([out.wrap1, out.wrap2, calls], [{ computed: 1 }, { computed: 1 }, 1]);
    assertBetween(await raw.pTTL('keyv::keyv:expensive'), 5_000, 10_000, 'PTTL of a wrapped value');

    // overwrite keeps one key, new value, new TTL
    await cache.set('user:1', { name: 'alice2' }, 120_000);
    assert.deepEqual(await cache.get('user:1'), { name: 'alice2' });
    assertBetween(await raw.pTTL('keyv::keyv:user:1'), 115_000, 120_000, 'PTTL after overwrite');

    // clear: every key of this cache goes, other data stays
    await raw.set('foreign', 'not ours');
    await raw.set('other::thing', 'other namespace');
    assert.equal(await cache.clear(), true);
    out.keysAfterClear = await sortedKeys(raw);
    assert.deepEqual(out.keysAfterClear, ['foreign', 'other::thing']);
    assert.equal(await cache.get('user:1'), undefined);
    assert.equal(await cache.clear(), true); // nothing left to clear
  } finally {
    await cache.disconnect();
    await raw.quit();
  }
  out.errors = errors;
  assert.deepEqual(errors, []);
  return scrubTimes(out);
}

bothTest('cache-manager + keyv + @keyv/redis: set with TTL, get, ttl, mget, mset, del, mdel, wrap, clear',
  cacheManagerScenario);

// createKeyv() stores with namespaces, several caches sharing one server, and
// clear() walking many SCAN pages.
async function namespacesScenario(server) {
  const raw = await connect(server.url);
  const errors = [];
  const users = collectErrors(createKeyv(server.url, { namespace: 'users' }), errors);
  const pages = collectErrors(createKeyv({ url: server.url, RESP: 3 }, { namespace: 'pages' }), errors);
  const plain = collectErrors(createKeyv(server.url), errors); // no namespace
  const userCache = createCache({ stores: [users], ttl: 60_000 }); // default TTL
  const pageCache = createCache({ stores: [pages] });
  const plainCache = createCache({ stores: [plain] });
  const out = {};
  try {
    await userCache.set('1', 'alice');
    await pageCache.set('1', '<html>', 5_000);
    await plainCache.set('1', 'plain', 5_000);
    out.gets = [await userCache.get('1'), await pageCache.get('1'), await plainCache.get('1')];
    assert.deepEqual(out.gets, ['alice', '<html>', 'plain']);
    out.keys = await sortedKeys(raw);
    assert.deepEqual(out.keys, ['1', 'pages::1', 'users::1']);
    out.defaultTtl = assertBetween(await raw.pTTL('users::1'), 55_000, 60_000, 'PTTL with the cache default TTL');

    // many keys: clear() scans with COUNT 1000 over several pages
    await userCache.mset(Array.from({ length: 2500 }, (_, i) => ({ key: `u${i}`, value: i })));
    assert.deepEqual(errors, [], 'store errors after mset');
    out.dbSize = await raw.dbSize();
    assert.equal(out.dbSize, 2503);
    out.sample = await userCache.mget(['u0', 'u1234', 'u2499', 'u2500']);
    assert.deepEqual(out.sample, [0, 1234, 2499, undefined]);

    await userCache.clear();
    out.keysAfterUsersClear = await sortedKeys(raw);
    assert.deepEqual(out.keysAfterUsersClear, ['1', 'pages::1']);

    // without a namespace, clear() removes keys without a '::' only
    await raw.set('loose', 'x');
    await plainCache.clear();
    out.keysAfterPlainClear = await sortedKeys(raw);
    assert.deepEqual(out.keysAfterPlainClear, ['pages::1']);
    await pageCache.clear();
    out.dbSizeAtEnd = await raw.dbSize();
    assert.equal(out.dbSizeAtEnd, 0);
  } finally {
    await Promise.all([userCache.disconnect(), pageCache.disconnect(), plainCache.disconnect()]);
    await raw.quit();
  }
  out.errors = errors;
  assert.deepEqual(errors, []);
  return scrubTimes(out);
}

bothTest('cache-manager with createKeyv namespaces: isolation, default TTL, clear over many SCAN pages',
  namespacesScenario);

// keyv's own API on a KeyvRedis store (what cache-manager builds on).
async function keyvApiScenario(server) {
  const raw = await connect(server.url);
  const errors = [];
  const keyv = collectErrors(createKeyv(server.url, { namespace: 'kv' }), errors);
  const out = {};
  try {
    assert.equal(await keyv.set('x', 'ex', 30_000), true);
    out.has = [await keyv.has('x'), await keyv.has('y')];
    assert.deepEqual(out.has, [true, false]);
    assert.equal(
      await keyv.setMany([
        { key: 'y', value: 'why' },
        { key: 'z', value: { zed: true }, ttl: 30_000 },
      ]),
      undefined,
    );
    assert.deepEqual(errors, [], 'store errors after setMany');
    out.getMany = await keyv.getMany(['x', 'y', 'z', 'w']);
    assert.deepEqual(out.getMany, ['ex', 'why', { zed: true }, undefined]);
    out.hasMany = await keyv.hasMany(['x', 'w', 'z']);
    assert.deepEqual(out.hasMany, [true, false, true]);
    out.raw = await keyv.get('z', { raw: true });
    assert.deepEqual(out.raw.value, { zed: true });
    assertBetween(out.raw.expires - Date.now(), 25_000, 30_000, 'raw expires - now');

    const seen = [];
    for await (const [key, value] of keyv.iterator()) seen.push([key, value]);
    out.iterated = seen.sort((a, b) => a[0].localeCompare(b[0]));
    assert.deepEqual(out.iterated, [['x', 'ex'], ['y', 'why'], ['z', { zed: true }]]);

    assert.equal(await keyv.delete('x'), true);
    assert.equal(await keyv.delete('x'), false);
    out.deleteMany = await keyv.deleteMany(['y', 'w']);
    out.keysLeft = await sortedKeys(raw);
    assert.deepEqual(out.keysLeft, ['kv::z']);
    await keyv.clear();
    assert.equal(await raw.dbSize(), 0);
  } finally {
    await keyv.disconnect();
    await raw.quit();
  }
  out.errors = errors;
  assert.deepEqual(errors, []);
  return scrubTimes(out);
}

bothTest('keyv API over @keyv/redis: has, hasMany, getMany, setMany, iterator, delete, deleteMany', keyvApiScenario);

// clear() and iterator() scan with TYPE string, so keys of other types sharing
// the database are neither listed nor deleted.
async function otherTypesScenario(server) {
  const raw = await connect(server.url);
  const errors = [];
  const keyv = collectErrors(createKeyv(server.url), errors); // no namespace: clear() scans '*'
  const cache = createCache({ stores: [keyv] });
  const out = {};
  try {
    await cache.set('s', 'string value', 10_000);
    await raw.hSet('h', 'field', 'value');
    await raw.rPush('l', ['a', 'b']);
    await raw.sAdd('set', 'm');
    await raw.zAdd('z', { score: 1, value: 'm' });
    const seen = [];
    for await (const [key] of keyv.iterator()) seen.push(key);
    out.iterated = seen;
    assert.deepEqual(out.iterated, ['s']);
    await cache.clear();
    out.keysAfterClear = await sortedKeys(raw);
    assert.deepEqual(out.keysAfterClear, ['h', 'l', 'set', 'z']);
  } finally {
    await cache.disconnect();
    await raw.quit();
  }
  out.errors = errors;
  assert.deepEqual(errors, []);
  return out;
}

bothTest('@keyv/redis clear and iterator leave hashes, lists, sets and zsets alone (SCAN TYPE string)',
  otherTypesScenario);
