// The local executor's lanes: one limit for all of an executor's calls (the
// main job's stages share them), waiting units served by priority, then in
// the order they came.
import * as assert from 'assert';
import { lanes } from '../lib/worker/local-executor';

describe('the local executor\'s lanes', () => {
  it('holds at most the limit and serves the waiting by priority, then by arrival', async () => {
    const pool = lanes(2);
    const started: string[] = [];
    const hold = (name: string, priority: number) => pool.acquire(priority).then(() => started.push(name));
    await Promise.all([hold('a', 0), hold('b', 0)]);
    const waiting = [hold('low 1', 1), hold('high 1', 3), hold('middle', 2), hold('high 2', 3), hold('low 2', 1)];
    await new Promise((r) => setImmediate(r));
    assert.deepStrictEqual(started, ['a', 'b'], 'two lanes, both held');
    for (let i = 0; i < 5; i++) {
      pool.release();
      await new Promise((r) => setImmediate(r));
      assert.strictEqual(started.length, 3 + i, 'a freed lane starts exactly one waiter');
    }
    await Promise.all(waiting);
    assert.deepStrictEqual(started.slice(2), ['high 1', 'high 2', 'middle', 'low 1', 'low 2']);
    // Everything released: the next one starts at once.
    pool.release();
    pool.release();
    let now = false;
    const next = pool.acquire(0).then(() => (now = true));
    await next;
    assert.ok(now);
  });
});
