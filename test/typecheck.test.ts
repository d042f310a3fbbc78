import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

// Notebooks import lib/ through tslab, which compiles with its own TypeScript
// (5.0) and options (not strict) and refuses a cell when an imported file has
// a type error; lib/ must therefore compile under both configurations.
describe('type checks', function () {
  this.timeout(300_000);
  const root = path.resolve(__dirname, '..');
  const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });

  it('the project compiles under tsconfig.json (strict)', () => {
    const r = run([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json']);
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
  });

  it("lib/ compiles with tslab's TypeScript and options (what notebooks see)", () => {
    const r = run([path.join(root, 'node_modules', '@tslab', 'typescript-for-tslab', 'bin', 'tsc'), '-p', 'tsconfig.tslab.json']);
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
  });
});
