import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { endProcess, processAlive, processesWithSocketsUnder, processName, waitUntil, withDescendants } from '../lib/util/processes';

describe('processes by id (/proc)', function () {
  this.timeout(30_000);
  if (process.platform !== 'linux') return;
  const children: ChildProcess[] = [];
  const start = (command: string, args: string[]) => {
    const c = spawn(command, args, { stdio: 'ignore' });
    children.push(c);
    return c;
  };
  after(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

  it('tells a running process from an ended one and names it', async () => {
    const c = start('sleep', ['30']);
    await waitUntil('sleep to start', () => processName(c.pid!) === 'sleep', 5_000, 20);
    assert.strictEqual(processAlive(c.pid!), true);
    c.kill('SIGKILL');
    await waitUntil('sleep to end', () => !processAlive(c.pid!), 5_000, 20);
    assert.strictEqual(processAlive(999_999_999), false);
    assert.strictEqual(processName(999_999_999), '');
  });

  it('finds the descendants of a process', async () => {
    const c = start('/bin/sh', ['-c', 'sleep 31 & sleep 32 & wait']);
    await waitUntil('two sleeps', () => withDescendants([c.pid!]).length === 3, 5_000, 20);
    assert.deepStrictEqual(withDescendants([c.pid!]).slice(1).map(processName), ['sleep', 'sleep']);
  });

  it('ends a process with SIGTERM, or SIGKILL after the grace time when it ignores SIGTERM', async () => {
    const polite = start('sleep', ['33']);
    const stubborn = start('/bin/bash', ['-c', "trap '' TERM; while :; do sleep 0.05; done"]);
    await waitUntil('both to start', () => processName(polite.pid!) === 'sleep' && processAlive(stubborn.pid!), 5_000, 20);
    await new Promise((r) => setTimeout(r, 200)); // bash has set its trap
    const t0 = Date.now();
    await endProcess(polite.pid!, 5_000);
    assert.ok(Date.now() - t0 < 2_000, 'SIGTERM was enough');
    const t1 = Date.now();
    await endProcess(stubborn.pid!, 500);
    assert.ok(Date.now() - t1 >= 500, 'waited the grace time before SIGKILL');
    assert.strictEqual(processAlive(stubborn.pid!), false);
    await assert.rejects(waitUntil('never', () => false, 50, 10), /timed out after 0.05 s waiting for never/);
  });

  it('finds processes by the unix sockets they hold under a folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-sockets-'));
    try {
      const socket = path.join(dir, 'a.sock');
      const c = start(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)})`]);
      await waitUntil('the socket', () => fs.existsSync(socket), 10_000, 20);
      assert.deepStrictEqual(processesWithSocketsUnder('node', dir), [c.pid]);
      assert.deepStrictEqual(processesWithSocketsUnder('sleep', dir), []);
      assert.deepStrictEqual(processesWithSocketsUnder('node', path.join(dir, 'other')), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
