// express-session with connect-redis over node-redis, unchanged, against both
// the reference redis-server and vermilion-server: the store API (create, read,
// touch, destroy, list, clear) over RESP2 and RESP3, and a small express app's
// login / read / touch / logout flow driven over HTTP.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import express from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { bothTest, assertBetween, scrubTimes } from '../both.mjs';

async function connect(url, resp) {
  const client = createClient({ url, RESP: resp, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  return client;
}

function cookieFor(seconds) {
  return {
    originalMaxAge: seconds * 1000,
    expires: new Date(Date.now() + seconds * 1000).toISOString(),
    httpOnly: true,
    path: '/',
  };
}

// Callback-style call of a store method (how express-session itself calls the store).
function viaCallback(store, method, ...args) {
  return new Promise((resolve, reject) => {
    store[method](...args, (err, data) => (err ? reject(err) : resolve(data)));
  });
}

function storeScenario(resp) {
  return async (server) => {
    const client = await connect(server.url, resp);
    const store = new RedisStore({ client, prefix: 'myapp:', scanCount: 10 });
    const out = {};
    try {
      // create
      const alice = { cookie: cookieFor(60), user: 'alice', cart: [1, 2, 3], nested: { é: 'ü€' } };
      const bob = { cookie: cookieFor(120), user: 'bob' };
      const carol = { cookie: { originalMaxAge: null, expires: null, httpOnly: true, path: '/' }, user: 'carol' };
      await store.set('s1', alice);
      await store.set('s2', bob);
      await viaCallback(store, 'set', 's3', carol);
      await client.set('other:key', 'not a session');

      // read
      assert.deepEqual(await store.get('s1'), alice);
      assert.deepEqual(await viaCallback(store, 'get', 's2'), bob);
      assert.equal(await store.get('nope'), null);
      out.raw = JSON.parse(await client.get('myapp:s1'));
      assert.deepEqual(out.raw, alice);
      out.ttl = {
        s1: assertBetween(await client.ttl('myapp:s1'), 55, 60, 'TTL of s1 (cookie expires in 60 s)'),
        s2: assertBetween(await client.ttl('myapp:s2'), 115, 120, 'TTL of s2 (cookie expires in 120 s)'),
        s3: assertBetween(await client.ttl('myapp:s3'), 86395, 86400, 'TTL of s3 (default ttl 86400 s)'),
      };

      // list
      out.length = await store.length();
      assert.equal(out.length, 3);
      out.ids = (await store.ids()).sort();
      assert.deepEqual(out.ids, ['s1', 's2', 's3']);
      out.all = (await store.all()).sort((a, b) => a.id.localeCompare(b.id));
      assert.deepEqual(out.all.map((s) => [s.id, s.user]), [['s1', 'alice'], ['s2', 'bob'], ['s3', 'carol']]);

      // touch: extends the key's TTL to the new cookie expiry, data unchanged
      await store.touch('s1', { ...alice, cookie: cookieFor(3600) });
      out.touchedTtl = assertBetween(await client.ttl('myapp:s1'), 3595, 3600, 'TTL of s1 after touch');
      assert.deepEqual(await store.get('s1'), alice);
      await viaCallback(store, 'touch', 's2', { ...bob, cookie: cookieFor(7200) });
      out.touchedTtl2 = assertBetween(await client.ttl('myapp:s2'), 7195, 7200, 'TTL of s2 after touch');

      // update
      await store.set('s1', { ...alice, cart: [] });
      assert.deepEqual((await store.get('s1')).cart, []);

      // an already-expired cookie destroys the session
      await store.set('s2', { ...bob, cookie: { ...bob.cookie, expires: new Date(Date.now() - 5000).toISOString() } });
      out.s2AfterExpiredSet = await store.get('s2');
      assert.equal(out.s2AfterExpiredSet, null);
      assert.equal(await client.exists('myapp:s2'), 0);

      // destroy
      await store.destroy('s1');
      assert.equal(await store.get('s1'), null);
      await viaCallback(store, 'destroy', 'never-existed');
      out.idsAfterDestroy = (await store.ids()).sort();
      assert.deepEqual(out.idsAfterDestroy, ['s3']);

      // many sessions: listing walks several SCAN pages (scanCount 10)
      for (let i = 0; i < 250; i++) await store.set(`bulk${i}`, { cookie: cookieFor(600), i });
      out.bulkLength = await store.length();
      assert.equal(out.bulkLength, 251);
      const all = await store.all();
      assert.equal(all.length, 251);
      assert.equal(all.filter((s) => s.id.startsWith('bulk')).reduce((sum, s) => sum + s.i, 0), (249 * 250) / 2);

      // clear: every session gone, other keys kept
      await store.clear();
      out.lengthAfterClear = await store.length();
      assert.equal(out.lengthAfterClear, 0);
      assert.deepEqual(await store.all(), []);
      assert.equal(await client.get('other:key'), 'not a session');
      assert.equal(await client.dbSize(), 1);
      await store.clear(); // clearing an empty store is fine
    } finally {
      await client.quit();
    }
    return scrubTimes(out);
  };
}

bothTest('connect-redis store API over node-redis RESP2', storeScenario(2));
bothTest('connect-redis store API over node-redis RESP3', storeScenario(3));

// A small express app using express-session + connect-redis, driven over HTTP.
async function appScenario(server) {
  const client = await connect(server.url, 3);
  const store = new RedisStore({ client });
  const app = express();
  app.use(
    session({
      store,
      name: 'sid',
      secret: 'keyboard cat',
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: 60_000 },
    }),
  );
  app.post('/login/:user', (req, res) => {
    req.session.user = req.params.user;
    req.session.views = 0;
    res.json({ ok: true });
  });
  app.get('/me', (req, res) => {
    if (!req.session.user) return res.status(401).json({ user: null });
    req.session.views++;
    res.json({ user: req.session.user, views: req.session.views });
  });
  app.get('/peek', (req, res) => res.json({ user: req.session.user ?? null })); // unmodified: store.touch
  app.post('/logout', (req, res, next) => req.session.destroy((err) => (err ? next(err) : res.json({ ok: true }))));
  app.get('/sessions', (req, res, next) =>
    store.all((err, all) => (err ? next(err) : res.json(all.map((s) => s.user).sort()))),
  );
  const http = app.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const base = `http://127.0.0.1:${http.address().port}`;
  const request = async (method, path, cookie) => {
    const res = await fetch(base + path, { method, headers: cookie ? { cookie } : {} });
    return { status: res.status, body: await res.json(), setCookie: res.headers.get('set-cookie') };
  };
  const out = {};
  try {
    // no session yet: nothing stored (saveUninitialized: false)
    out.anonymous = await request('GET', '/me');
    assert.deepEqual(out.anonymous, { status: 401, body: { user: null }, setCookie: null });
    assert.equal(await client.dbSize(), 0);

    // create
    const login = await request('POST', '/login/alice');
    assert.equal(login.status, 200);
    const cookie = login.setCookie.split(';')[0];
    assert.match(cookie, /^sid=s%3A[\w-]+\.[\w%+/=-]+$/);
    const sid = decodeURIComponent(cookie.slice(4)).slice(2).split('.')[0];
    const keys = await client.keys('*');
    assert.deepEqual(keys, [`sess:${sid}`]);
    out.keyCount = keys.length;
    out.stored = JSON.parse(await client.get(`sess:${sid}`));
    assert.equal(out.stored.user, 'alice');
    assert.equal(out.stored.views, 0);
    // express-session may store originalMaxAge a few ms short of maxAge (time spent in the request)
    assertBetween(out.stored.cookie.originalMaxAge, 59_000, 60_000, 'stored cookie.originalMaxAge');
    delete out.stored.cookie.originalMaxAge;
    delete out.stored.cookie.expires; // a timestamp
    out.ttl = assertBetween(await client.ttl(`sess:${sid}`), 55, 60, 'session TTL after login');

    // read (and modify) twice
    out.me1 = (await request('GET', '/me', cookie)).body;
    out.me2 = (await request('GET', '/me', cookie)).body;
    assert.deepEqual([out.me1, out.me2], [{ user: 'alice', views: 1 }, { user: 'alice', views: 2 }]);
    assert.equal(JSON.parse(await client.get(`sess:${sid}`)).views, 2);

    // touch: an unmodified session's key gets its TTL extended back to the cookie's maxAge
    assert.equal(await client.expire(`sess:${sid}`, 5), 1);
    out.peek = (await request('GET', '/peek', cookie)).body;
    assert.deepEqual(out.peek, { user: 'alice' });
    out.ttlAfterTouch = assertBetween(await client.ttl(`sess:${sid}`), 55, 60, 'session TTL after touch');

    // list sessions
    const bobCookie = (await request('POST', '/login/bob')).setCookie.split(';')[0];
    out.sessions = (await request('GET', '/sessions')).body;
    assert.deepEqual(out.sessions, ['alice', 'bob']);
    assert.equal(await store.length(), 2);

    // destroy
    out.logout = (await request('POST', '/logout', cookie)).body;
    assert.deepEqual(out.logout, { ok: true });
    assert.equal(await client.exists(`sess:${sid}`), 0);
    out.afterLogout = await request('GET', '/me', cookie);
    assert.equal(out.afterLogout.status, 401);
    out.bobStill = (await request('GET', '/me', bobCookie)).body;
    assert.deepEqual(out.bobStill, { user: 'bob', views: 1 });
    out.sessionsAfterLogout = (await request('GET', '/sessions')).body;
    assert.deepEqual(out.sessionsAfterLogout, ['bob']);
  } finally {
    http.closeAllConnections();
    http.close();
    await client.quit();
  }
  return out;
}

bothTest('express app with express-session + connect-redis: login, read, touch, list, logout', appScenario);
