// BullMQ (current npm version) unchanged against both servers, over ioredis
// and over node-redis (BullMQ's createNodeRedisClient adapter): jobs added
// single, in bulk, delayed and prioritized; a Worker with concurrency 3;
// retries with fixed and exponential backoff; completed and failed counts;
// QueueEvents receiving `completed` through the events stream (XREAD BLOCK);
// a repeatable job (a job scheduler); pausing and resuming the queue. Every run must observe
// the same transcript on redis-server 7.0 and on vermilion-server.
import assert from 'node:assert/strict';
import { Queue, Worker, QueueEvents, createNodeRedisClient } from 'bullmq';
import IORedis from 'ioredis';
import { createClient } from 'redis';
import { bothTest, sleep } from '../both.mjs';

async function until(what, cond, ms = 10000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await sleep(25);
  }
  assert.fail(`timed out waiting for ${what}`);
}

function connector(server, kind) {
  const opened = [];
  const open = async () => {
    if (kind === 'ioredis') {
      const c = new IORedis(server.url, { maxRetriesPerRequest: null });
      opened.push(() => c.quit().catch(() => {}));
      return c;
    }
    const raw = createClient({ url: server.url });
    raw.on('error', () => {});
    await raw.connect();
    opened.push(() => raw.quit().catch(() => {}));
    return createNodeRedisClient(raw);
  };
  return { open, closeAll: async () => { for (const f of opened.reverse()) await f(); } };
}

async function bullScenario(server, kind) {
  const conn = connector(server, kind);
  const closers = [];
  try {
    return await run(conn, closers);
  } finally {
    // Close everything even when an assertion failed, or reconnecting
    // clients would keep the test process alive after the server stops.
    for (const c of closers.reverse()) await c.close().catch(() => {});
    await conn.closeAll();
  }
}

async function run(conn, closers) {
  const name = 'paint';
  const queue = new Queue(name, { connection: await conn.open() });
  closers.push(queue);
  const events = new QueueEvents(name, { connection: await conn.open() });
  closers.push(events);
  await events.waitUntilReady();
  const completedEvents = new Set();
  events.on('completed', ({ jobId }) => completedEvents.add(jobId));

  await queue.add('single', { n: 1 });
  await queue.addBulk([{ name: 'bulk', data: { n: 2 } }, { name: 'bulk', data: { n: 3 } }]);
  await queue.add('delayed', { n: 4 }, { delay: 300 });
  await queue.add('prio-low', { n: 5 }, { priority: 10 });
  await queue.add('prio-high', { n: 6 }, { priority: 1 });
  await queue.add('flaky', { n: 7 }, { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
  await queue.add('doomed', { n: 8 }, { attempts: 2, backoff: { type: 'exponential', delay: 50 } });
  const before = await queue.getJobCounts('wait', 'delayed', 'prioritized', 'active', 'completed', 'failed');
  assert.deepEqual(before, { wait: 5, delayed: 1, prioritized: 2, active: 0, completed: 0, failed: 0 });

  const attempts = {};
  const worker = new Worker(name, async (job) => {
    attempts[job.name] = (attempts[job.name] ?? 0) + 1;
    if (job.name === 'flaky' && attempts.flaky < 3) throw new Error('flaky failure');
    if (job.name === 'doomed') throw new Error('always fails');
    return { doubled: job.data.n * 2 };
  }, { connection: await conn.open(), concurrency: 3 });
  closers.push(worker);

  await until('7 completed and 1 failed', async () => {
    const c = await queue.getJobCounts('completed', 'failed');
    return c.completed === 7 && c.failed === 1;
  });
  const after = await queue.getJobCounts('wait', 'delayed', 'prioritized', 'active', 'completed', 'failed');
  const completed = (await queue.getCompleted()).map((j) => [j.name, j.returnvalue.doubled]).sort();
  const failed = (await queue.getFailed()).map((j) => [j.name, j.failedReason, j.attemptsMade]);
  await until('completed events', () => completedEvents.size === 7);

  await queue.pause();
  const paused = await queue.isPaused();
  await queue.add('while-paused', { n: 9 });
  await sleep(300);
  const duringPause = await queue.getJobCounts('completed', 'paused', 'wait');
  assert.equal(duringPause.completed, 7, 'nothing runs while paused');
  await queue.resume();
  await until('the paused job', async () => (await queue.getJobCounts('completed')).completed === 8);

  // A repeatable job (BullMQ 6 schedules repeats through job schedulers).
  await queue.upsertJobScheduler('ticker', { every: 150, limit: 3 }, { name: 'tick', data: { n: 10 } });
  await until('3 repeats', () => attempts.tick === 3);
  await sleep(450);
  const ticks = attempts.tick;

  assert.deepEqual(attempts, {
    single: 1, bulk: 2, delayed: 1, 'prio-low': 1, 'prio-high': 1, flaky: 3, doomed: 2, 'while-paused': 1, tick: 3,
  });
  return { before, after, completed, failed, events: completedEvents.size, paused, duringPause, ticks };
}

bothTest('BullMQ over ioredis: add, process, retry, events, pause, repeat', (s) => bullScenario(s, 'ioredis'));
bothTest('BullMQ over node-redis: add, process, retry, events, pause, repeat', (s) => bullScenario(s, 'node-redis'));
