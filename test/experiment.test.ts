import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXPERIMENT_DEFAULTS, ExperimentConfig } from '../lib/config/experiment';
import { prepareRun, runSeed } from '../lib/train/experiment';
import type { MetricsFile } from '../lib/run/files';
import { RunFolder } from '../lib/run/run-folder';
import { trainRun } from '../lib/pipeline/train-run';
import { localExecutor } from '../lib/worker/local-executor';
import { StageTable } from '../lib/pipeline/stage-table';
import { chooseBackend } from '../lib/backend/select';
import { writeToyCfd } from './toy-cfd';

const BACKEND = process.env.SMILE_LENS_BACKEND ?? 'wasm';

describe('the experiment (k seeds, parallel workers, resume)', function () {
  this.timeout(600_000);
  let tmp: string;
  let cfg: ExperimentConfig;

  before(async () => {
    // The interrupted seed below runs in this process: same backend as the workers.
    await chooseBackend(BACKEND);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-exp-'));
    await writeToyCfd(path.join(tmp, 'data'));
    cfg = {
      ...EXPERIMENT_DEFAULTS,
      data: path.join(tmp, 'data'),
      seeds: [1, 2],
      epochs: 2,
      size: 16,
      batchSize: 8,
      model: { channels: [4, 8, 8], strides: [2, 2, 2], dense: 8 },
    };
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const strip = (m: MetricsFile) => m.seeds.map((s) => ({ seed: s.seed, validation: s.validation, baselines: s.baselines }));

  it('gives the same numbers with seeds in parallel as one after another, and resumes an interrupted run to them', async () => {
    const a = path.join(tmp, 'run-parallel');
    const parallel = await trainRun(cfg, a, { executor: localExecutor({ jobs: 2 }) });
    assert.strictEqual(parallel.seeds.length, 2);
    assert.ok(parallel.seeds.every((s) => s.status === 'done'));

    const b = new RunFolder(path.join(tmp, 'run-sequential'));
    await prepareRun(b, cfg, BACKEND);
    // Seed 1 is interrupted after its first epoch was checkpointed.
    await assert.rejects(
      runSeed(b, 1, undefined, (r) => {
        if (r.epoch === 2) throw new Error('killed');
      }),
      /killed/,
    );
    assert.ok(b.seed(1).readCheckpoint());
    const sequential = await trainRun(cfg, b, { executor: localExecutor({ jobs: 1 }) });
    assert.deepStrictEqual(strip(sequential), strip(parallel));

    // The run folder holds what the issue promises.
    for (const f of ['config.json', 'metrics.json', 'history.json', 'seed-1/model.json', 'seed-1/weights.bin', 'seed-2/split.json']) {
      assert.ok(fs.existsSync(path.join(a, f)), `${f} missing`);
    }
    const m = JSON.parse(fs.readFileSync(path.join(a, 'metrics.json'), 'utf8')) as MetricsFile;
    assert.strictEqual(m.summary.accuracy.n, 2);
    assert.ok(m.baselineSummary.majorityAccuracy.mean > 0);
    // Subject-disjoint: no model in both splits.
    const split = JSON.parse(fs.readFileSync(path.join(a, 'seed-1', 'split.json'), 'utf8')) as { train: string[]; validation: string[] };
    const model = (f: string) => f.split('-').slice(1, 3).join('-');
    const trainModels = new Set(split.train.map(model));
    assert.ok(split.validation.every((f) => !trainModels.has(model(f))));
  });

  it('has each worker report its start, CPU, peak memory and the steps and forward passes it timed; the stage table sets them against its time', async () => {
    const table = new StageTable(2);
    const dir = path.join(tmp, 'run-measured');
    await table.time('training', localExecutor({ jobs: 2 }), (executor) => trainRun(cfg, dir, { executor }));
    const [stage] = table.stages;
    assert.deepStrictEqual(stage.units.map((u) => u.key).sort(), [1, 2]);
    for (const u of stage.units) {
      const usage = u.usage!;
      assert.ok(usage, `seed ${u.key} reported no usage`);
      assert.ok(usage.startSeconds > 0 && usage.startCpuSeconds > 0 && usage.jobSeconds > 0, JSON.stringify(usage));
      assert.ok(usage.cpuSeconds >= usage.startCpuSeconds, 'the CPU time includes the start');
      assert.ok(u.seconds >= usage.jobSeconds, 'the executor holds the lane at least as long as the job runs');
      assert.ok(usage.rssPeak > 20 * 2 ** 20 && usage.vmHwm! >= usage.rssPeak * 0.9, `peak memory ${usage.rssPeak} / ${usage.vmHwm}`);
      // Exactly the steps of the epochs, and one validation pass per epoch (the last one's is the final model's: not run twice).
      const split = new RunFolder(dir).seed(u.key as number).readSplit();
      const steps = Math.floor(split.train.length / cfg.batchSize) + (split.train.length % cfg.batchSize >= 2 ? 1 : 0);
      assert.strictEqual(usage.compute['training step']?.count, cfg.epochs * steps);
      assert.strictEqual(usage.compute['forward pass']?.count, cfg.epochs * split.validation.length);
      assert.ok(usage.compute['training step']!.seconds > 0 && usage.compute['training step']!.seconds < usage.jobSeconds);
    }
    const text = table.format();
    assert.match(text, /^training\s+\d+ s\s+2\s+\d+ s\s+\d+ s\s+\d+ s\s+\d+%\s+\d+ steps × [\d.]+ m?s \+ \d+ images forward × [\d.]+ m?s$/m);
    assert.match(text, /^main job\s+\d+ s\s+2\s/m);
    assert.match(table.formatMemory(), /training: train-seed \d: \d+, train-seed \d: \d+$/m);
  });

  it('refuses to resume a run folder with other settings', async () => {
    const a = new RunFolder(path.join(tmp, 'run-parallel'));
    await assert.rejects(prepareRun(a, { ...cfg, epochs: 3 }, BACKEND), /made with other settings/);
  });

  it('runs from the command line: smile-lens train', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'smile-lens.js');
    const out = path.join(tmp, 'cli-run');
    const r = spawnSync(process.execPath, [bin, 'train', '--data', cfg.data, '--seeds', '1', '--epochs', '1', '--size', '16', '--channels', '4,8,8', '--batch', '8', '--out', out, '--backend', BACKEND], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /validation accuracy\s+\d/);
    assert.match(r.stdout, /baseline: majority class/);
    assert.ok(fs.existsSync(path.join(out, 'metrics.json')));
  });

  it('says which file is wrong when the data folder is missing', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'smile-lens.js');
    const r = spawnSync(process.execPath, [bin, 'train', '--data', path.join(tmp, 'nope'), '--backend', BACKEND], { encoding: 'utf8' });
    // A usage error (exit 2), refused before any work: one line naming the option and the folder.
    assert.strictEqual(r.status, 2, r.stderr);
    assert.match(r.stderr.trim(), /^smile-lens train: --data \S*nope: no such folder$/);
  });
});
