// The README's first command, `npm run experiment`, in the small
// configuration: every stage runs from the one command, the backend is named
// once, each stage says how long it took, the report is written, and running
// it again resumes to the same numbers instead of training anew. The planted-
// bias sweep (its own test: planted-bias-sweep.test.ts) is skipped for time.
// Then the same job through Slurm (--executor slurm --wait, on the project's
// single-node cluster) gives the same metrics and audit tables, byte for byte.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunFolder } from '../lib/run/run-folder';
import { useLocalCluster } from './slurm-cluster-fixture';

const BACKEND = process.env.SMILE_LENS_BACKEND ?? 'wasm';
const RUN_ID = 'synthetic-small-64px-3ep-2seeds';

describe('the main job (smile-lens experiment --small)', function () {
  this.timeout(900_000);
  let outputs: string;
  const bin = path.resolve(__dirname, '..', 'bin', 'smile-lens.js');
  const experiment = (more: string[] = [], env: Record<string, string> = { SMILE_LENS_OUTPUTS: outputs }) =>
    spawnSync(process.execPath, [bin, 'experiment', '--small', '--skip', 'bias-sweep', '--backend', BACKEND, ...more], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });

  before(() => {
    outputs = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-main-'));
  });
  after(() => fs.rmSync(outputs, { recursive: true, force: true }));

  it('runs every stage, names the backend once, times the stages and writes the report; a second run resumes', () => {
    const first = experiment();
    assert.strictEqual(first.status, 0, first.stderr);
    assert.strictEqual(first.stdout.match(/^backend: /gm)?.length, 1, first.stdout);
    for (const stage of ['data', 'training', 'explanations', 'audit \\(experiment 1\\)', 'sanity checks \\(experiment 3\\)', 'masked retraining \\(experiment 4\\)']) {
      assert.match(first.stdout, new RegExp(`^${stage}: \\d+ s$`, 'm'));
    }
    assert.doesNotMatch(first.stdout, /planted-bias sweep/);
    assert.match(first.stdout, /^main job done in [\d.]+ min \(data \d+ s, training \d+ s, .*masked retraining \(experiment 4\) \d+ s\)/m);
    // The stage table: each stage's time against its ideal, and every worker's peak memory.
    assert.match(first.stdout, /^stage\s+wall\s+workers\s+worker CPU\s+lane time\s+ideal\s+efficiency\s+of which$/m);
    assert.match(first.stdout, /^training\s+\d+ s\s+2\s+\d+ s\s+\d+ s\s+\d+ s\s+\d+%\s+\d+ steps × [\d.]+ m?s \+ \d+ images forward × [\d.]+ m?s$/m);
    assert.match(first.stdout, /^masked retraining \(experiment 4\)\s+\d+ s\s+6\s/m);
    assert.match(first.stdout, /^main job\s+\d+ s\s+\d+\s+\d+ s\s+\d+ s\s+\d+ s\s+\d+%/m);
    assert.match(first.stdout, /^peak resident memory of each worker/m);
    assert.match(first.stdout, /^  training: train-seed \d: \d+, train-seed \d: \d+$/m);
    const run = new RunFolder(path.join(outputs, 'runs', RUN_ID));
    assert.ok(fs.existsSync(run.reportFile), 'the report is written');
    for (const f of [run.metricsFile, run.audit.summaryCsv, run.sanity.summaryCsv, run.masked.comparisonFile]) assert.ok(fs.existsSync(f), f);
    const metrics = fs.readFileSync(run.metricsFile, 'utf8');
    assert.match(first.stdout, /seed 1 done: validation accuracy/);

    const second = experiment();
    assert.strictEqual(second.status, 0, second.stderr);
    assert.doesNotMatch(second.stdout, /seed \d done: validation accuracy/, 'no seed is trained again');
    assert.strictEqual(fs.readFileSync(run.metricsFile, 'utf8'), metrics);
  });

  describe('through Slurm (--executor slurm --wait)', () => {
    const slurm = useLocalCluster();
    const local = () => new RunFolder(path.join(outputs, 'runs', RUN_ID));

    it('gives the same metrics.json (but for timings) and audit CSV as the local run, byte for byte', function () {
      if (!fs.existsSync(local().metricsFile)) return this.skip(); // the local run above failed
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-main-slurm-'));
      try {
        // The sanity checks and masked retraining go through the same executor; left out here for time.
        const t0 = Date.now();
        const r = experiment(['--skip', 'sanity,retrain-masked', '--executor', 'slurm', '--wait'], { SMILE_LENS_OUTPUTS: elsewhere, ...slurm.env });
        assert.strictEqual(r.status, 0, r.stdout + r.stderr);
        console.log(`      through Slurm in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        const run = new RunFolder(path.join(elsewhere, 'runs', RUN_ID));
        assert.deepStrictEqual(run.slurm.readSubmissions().map((s) => `${s.kind}×${s.units.length}`), ['train-seed×2', 'explain-seed×2', 'audit-seed×2']);
        const withoutTimes = (file: string) => JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8'), (k, v) => (k === 'seconds' ? undefined : v)));
        assert.strictEqual(withoutTimes(run.metricsFile), withoutTimes(local().metricsFile));
        for (const file of ['recordsCsv', 'summaryCsv'] as const) assert.ok(fs.readFileSync(run.audit[file]).equals(fs.readFileSync(local().audit[file])), `audit ${file} differs`);
        assert.ok(fs.existsSync(run.reportFile), 'the report is written');
        // status: per seed and stage from the files, for either executor; the Slurm run lists its jobs too.
        for (const [dir, jobs] of [[local().dir, false], [run.dir, true]] as const) {
          const status = spawnSync(process.execPath, [bin, 'status', '--run', dir], { encoding: 'utf8', env: { ...process.env, ...slurm.env } });
          assert.strictEqual(status.status, 0, status.stdout + status.stderr);
          assert.match(status.stdout, /^ {2}seed {2}training +Grad-CAM +GradientSHAP +audit +sanity$/m);
          assert.match(status.stdout, /^ {2}2 {5}done, \d+\.\d% +10 images +10 images +done +(done|—)$/m);
          assert.strictEqual(/^ {2}job \d+ +2 tasks audit-seed: 2 completed/m.test(status.stdout), jobs, status.stdout);
        }
      } finally {
        fs.rmSync(elsewhere, { recursive: true, force: true });
      }
    });
  });
});
