import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chooseBackend } from '../lib/backend/select';
import { EXPERIMENT_DEFAULTS } from '../lib/config/experiment';
import { EXPLAIN_DEFAULTS } from '../lib/config/explain';
import { balancedPick, explainSeed } from '../lib/pipeline/explain-run';
import { trainRun } from '../lib/pipeline/train-run';
import type { ExplanationSidecar } from '../lib/run/files';
import { RunFolder } from '../lib/run/run-folder';
import { localExecutor } from '../lib/worker/local-executor';
import { mapAtInputSize } from '../lib/pipeline/explanation-maps';
import { upsampleBilinear } from '../lib/explain/upsample';
import { readNpy } from '../lib/util/npy';
import { writeToyCfd } from './toy-cfd';

const BACKEND = process.env.SMILE_LENS_BACKEND ?? 'wasm';

describe('explaining a trained run (smile-lens explain)', function () {
  this.timeout(600_000);
  let tmp: string;
  let run: string;
  let cam: ExplanationSidecar;

  before(async () => {
    await chooseBackend(BACKEND);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-explain-'));
    await writeToyCfd(path.join(tmp, 'data'));
    run = path.join(tmp, 'run');
    await trainRun({ ...EXPERIMENT_DEFAULTS, data: path.join(tmp, 'data'), seeds: [1], epochs: 1, size: 16, batchSize: 8, model: { channels: [4, 8, 8], strides: [2, 2, 2], dense: 8 } }, run, { executor: localExecutor({ jobs: 1 }), log: () => undefined });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('picks a limited selection round-robin over the classes', () => {
    const labels = [0, 0, 0, 1, 1, 2];
    assert.deepStrictEqual(balancedPick([0, 1, 2, 3, 4, 5], (i) => labels[i], 4), [0, 1, 3, 5]);
    assert.deepStrictEqual(balancedPick([0, 1, 2], (i) => labels[i], 0), [0, 1, 2]);
  });

  it('writes a float32 .npy, a sidecar and a PNG per image and method, and resumes without recomputing', async () => {
    const options = { ...EXPLAIN_DEFAULTS, limit: 5, options: { gradientshap: { samples: 6 } } };
    const sidecars = await explainSeed(run, 1, options);
    assert.strictEqual(sidecars.length, 10);
    cam = sidecars.find((s) => s.method === 'gradcam')!;
    const shap = sidecars.find((s) => s.method === 'gradientshap')!;
    const camDir = new RunFolder(run).explanations('gradcam', 1).dir;
    const shapDir = new RunFolder(run).explanations('gradientshap', 1).dir;
    // The paper network at 16 px: three stride-2 blocks leave a 2×2 layer.
    assert.deepStrictEqual(readNpy(path.join(camDir, cam.npy)).shape, [2, 2]);
    // Its cells are placed on their receptive fields' centres (cell j on pixel 8j + 7), recorded for readers of the .npy.
    assert.deepStrictEqual(cam.parameters, { layer: 'block3_relu', upsampling: 'receptive-field', geometry: { rows: { offset: 7, stride: 8, size: 15 }, cols: { offset: 7, stride: 8, size: 15 } } });
    const camMap = readNpy(path.join(camDir, cam.npy)).data;
    const camFolder = new RunFolder(run).explanations('gradcam', 1);
    assert.deepStrictEqual(Array.from(mapAtInputSize(camFolder, cam)), Array.from(upsampleBilinear(camMap, 2, 2, 16, 16, cam.parameters.geometry as never)), 'readers upsample as the overlay did');
    assert.deepStrictEqual(readNpy(path.join(shapDir, shap.npy)).shape, [16, 16]);
    assert.strictEqual(shap.parameters.samples, 6);
    assert.ok(Number.isFinite(shap.diagnostics.meanDelta));
    assert.ok(fs.readFileSync(path.join(shapDir, shap.png)).subarray(1, 4).toString() === 'PNG');
    assert.ok([...new Set(sidecars.map((s) => s.label))].length === 5, 'limit 5 should cover the five classes');

    const before = fs.statSync(path.join(camDir, cam.npy)).mtimeMs;
    const again = await explainSeed(run, 1, options);
    assert.deepStrictEqual(again.map((s) => s.score), sidecars.map((s) => s.score));
    assert.strictEqual(fs.statSync(path.join(camDir, cam.npy)).mtimeMs, before, 'a finished image was recomputed');
    const index = JSON.parse(fs.readFileSync(path.join(camDir, 'index.json'), 'utf8')) as ExplanationSidecar[];
    assert.strictEqual(index.length, 5);
    // Other options are another request: recomputed, not reused.
    const other = await explainSeed(run, 1, { ...options, methods: ['gradientshap'], options: { gradientshap: { samples: 4 } } });
    assert.ok(other.every((s) => s.parameters.samples === 4));
  });

  it('numpy reads the maps (when numpy is installed)', function () {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) this.skip();
    const dir = new RunFolder(run).explanations('gradientshap', 1).dir;
    const npy = fs.readdirSync(dir).find((f) => f.endsWith('.npy'))!;
    const r = spawnSync('/usr/bin/python3', ['-c', `import numpy as np; a = np.load(${JSON.stringify(path.join(dir, npy))}); print(a.dtype, a.shape)`], { encoding: 'utf8' });
    assert.strictEqual(r.stdout.trim(), 'float32 (16, 16)', r.stderr);
  });

  it('runs from the command line with --class and --images', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'smile-lens.js');
    const r = spawnSync(process.execPath, [bin, 'explain', '--run', run, '--method', 'gradcam', '--class', 'HO', '--images', cam.image.replace(/^.*\//, ''), '--backend', BACKEND], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const sidecar = new RunFolder(run).explanations('gradcam', 1).readSidecar(cam.npy.replace(/\.npy$/, ''))!;
    assert.strictEqual(sidecar.className, 'HO');
    const bad = spawnSync(process.execPath, [bin, 'explain', '--run', run, '--class', 'smile', '--backend', BACKEND], { encoding: 'utf8' });
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /--class: expected one of N, A, F, HC, HO/);
  });
});
