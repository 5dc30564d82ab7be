// Starts a vermilion-server (or, for checking the harness, any redis-server
// compatible binary named by VERMILION_BIN) on a free 127.0.0.1 port, with a
// temporary --dir and no persistence. Not a test file: helpers only.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, openSync, closeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.VERMILION_BIN || path.join(repo, 'target/release/vermilion-server');
// The reference server that comparison tests run the same scenario against.
export const REF_BIN = process.env.REDIS_REF_BIN || 'redis-server';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function probe(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (ok) => { sock.destroy(); resolve(ok); };
    sock.setTimeout(1000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('*1\r\n$4\r\nPING\r\n'));
    sock.on('data', (d) => done(d[0] === 0x2b || d[0] === 0x2d)); // +PONG or -NOAUTH
  });
}

export async function startServer(extraArgs = [], bin = BIN) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vmnode-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, ...extraArgs];
  const logPath = path.join(dir, 'server.log');
  const log = openSync(logPath, 'a');
  const proc = spawn(bin, args, { stdio: ['ignore', log, log], cwd: dir });
  closeSync(log);
  let exited = false;
  proc.on('exit', () => { exited = true; });
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline && !exited) {
    if (await probe(port)) {
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        async stop() {
          if (!exited) {
            const gone = new Promise((r) => proc.once('exit', r));
            proc.kill('SIGTERM');
            const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
            await gone;
            clearTimeout(t);
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  const tail = readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n');
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`${bin} did not start on port ${port}:\n${tail}`);
}

// Run fn(server) against a fresh server (vermilion unless bin is given), always stopping it.
export async function withServer(extraArgs, fn, bin = BIN) {
  const server = await startServer(extraArgs, bin);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}
