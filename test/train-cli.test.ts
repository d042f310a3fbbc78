import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { RunFolder } from '../lib/run/run-folder';
import { BACKEND, tinyRun } from './audit-run-fixture';

describe('smile-lens train: --class-weights balanced reaches training, and the headline', function () {
  this.timeout(600_000);

  it('trains the same seed with the plain and the balanced NLL: the losses differ, the first line says whether the run beats the majority baseline', async () => {
    const t = await tinyRun();
    const bin = path.resolve(__dirname, '..', 'bin', 'smile-lens.js');
    const train = (out: string, ...extra: string[]) =>
      spawnSync(process.execPath, [bin, 'train', '--data', t.data, '--out', out, '--seeds', '1', '--epochs', '1', '--size', '24', '--channels', '4,8,8', '--batch', '8', '--jobs', '1', '--backend', BACKEND, ...extra], { encoding: 'utf8' });
    const plainDir = path.join(t.tmp, 'train-plain');
    const balancedDir = path.join(t.tmp, 'train-balanced');
    const plain = train(plainDir);
    const balanced = train(balancedDir, '--class-weights', 'balanced');
    for (const r of [plain, balanced]) {
      assert.strictEqual(r.status, 0, r.stderr);
      const lines = r.stdout.split('\n').filter((l) => l && !/^(backend|decoding|\d+%)/.test(l));
      assert.match(lines.find((l) => /majority-class baseline/.test(l)) ?? '', /^This run (beats|does not beat|is not clearly above) the majority-class baseline/);
      assert.match(r.stdout, /validation accuracy .*\nbalanced accuracy .*\nmacro-F1 /);
    }
    assert.strictEqual(new RunFolder(balancedDir).readConfig().experiment.classWeights, 'balanced');
    assert.notStrictEqual(new RunFolder(plainDir).readConfig().experiment.classWeights, 'balanced');
    // Same seed, data and split: only the loss differs, so the training losses do.
    const loss = (dir: string) => new RunFolder(dir).readHistory()[1][0].trainLoss;
    assert.notStrictEqual(loss(plainDir), loss(balancedDir));
    assert.ok(Number.isFinite(loss(plainDir)) && Number.isFinite(loss(balancedDir)));
  });
});
