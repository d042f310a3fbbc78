// The registry's claim, end to end: methods added as one file each
// (Integrated Gradients, SmoothGrad, Occlusion) go through `explain` on the
// command line, the audit, the sanity checks, masked retraining's
// re-explanation and the report, with no stage naming them. On a copy of the
// tiny audit run (so the other tests keep their two methods).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AUDIT_DEFAULTS } from '../lib/config/audit';
import { SANITY_DEFAULTS } from '../lib/config/sanity';
import { regionShareFigure } from '../lib/figures/audit-shares';
import { auditRun } from '../lib/pipeline/audit-run';
import { explainedMethods } from '../lib/pipeline/explanation-maps';
import { explainConfigOf } from '../lib/pipeline/masked-retraining';
import { sanityRun } from '../lib/pipeline/sanity-checks';
import { reportSections } from '../lib/report/report';
import { RunFolder } from '../lib/run/run-folder';
import { localExecutor } from '../lib/worker/local-executor';
import { BACKEND, tinyRun } from './audit-run-fixture';

const NEW = ['integrated-gradients', 'smoothgrad', 'occlusion'];

describe('three more explainers through every stage (the registry)', function () {
  this.timeout(600_000);
  let run: RunFolder;
  const ctx = { executor: localExecutor({ jobs: 1 }), log: () => undefined };

  before(async () => {
    const t = await tinyRun();
    const copy = path.join(t.tmp, 'run-more-explainers');
    fs.cpSync(t.run, copy, { recursive: true });
    run = new RunFolder(copy);
  });

  it('`smile-lens explain --method integrated-gradients,smoothgrad,occlusion` with their own flags', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'smile-lens.js');
    const args = ['explain', '--run', run.dir, '--method', NEW.join(','), '--seeds', '1', '--limit', '3', '--ig-steps', '6', '--smoothgrad-samples', '3', '--smoothgrad-base', 'gradcam', '--occlusion-window', '8', '--occlusion-stride', '4', '--jobs', '1', '--backend', BACKEND];
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    const [ig] = run.explanations('integrated-gradients', 1).readIndex()!;
    assert.deepStrictEqual([ig.parameters.steps, ig.parameters.baseline], [6, 'black']);
    assert.ok(Number.isFinite(ig.diagnostics.delta), 'the completeness error is in the sidecar');
    const [sg] = run.explanations('smoothgrad', 1).readIndex()!;
    // Over Grad-CAM at 24 px: the last block's 3×3 map.
    assert.deepStrictEqual([sg.parameters.base, sg.parameters.samples, sg.shape], ['gradcam', 3, [3, 3]]);
    const [occ] = run.explanations('occlusion', 1).readIndex()!;
    assert.deepStrictEqual([occ.parameters.window, occ.diagnostics.positions, occ.shape], [8, 25, [24, 24]]);
    const bad = spawnSync(process.execPath, [bin, ...args.slice(0, 5), '--occlusion-fill', 'grey', '--backend', BACKEND], { encoding: 'utf8' });
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /occlusion.*fill.*one of mean, black/);
  });

  it('the audit takes every method the run explained unless told otherwise', async () => {
    assert.deepStrictEqual(explainedMethods(run, [1]), ['gradcam', 'gradientshap', 'integrated-gradients', 'occlusion', 'smoothgrad']);
    const { summary } = await auditRun(run, { ...AUDIT_DEFAULTS, deletion: false }, { ...ctx, seeds: [1] });
    assert.deepStrictEqual(summary.methods, explainedMethods(run, [1]));
    for (const m of NEW) assert.ok(summary.rows.some((r) => r.method === m && r.metric === 'absoluteShare/face'), `${m} audited`);
    const figure = regionShareFigure(summary.rows);
    assert.deepStrictEqual(figure.data.map((d) => d.name), ['Grad-CAM', 'GradientSHAP', 'Integrated Gradients', 'Occlusion', 'SmoothGrad', 'area share (uniform map)']);
    assert.strictEqual(new Set(figure.data.map((d) => (d as { marker?: { color?: string } }).marker?.color)).size, 6, 'a colour per method');
  });

  it('the sanity checks and masked retraining\'s re-explanation take them too', async () => {
    const options = { ...SANITY_DEFAULTS, methods: NEW, images: 2, randomLabels: false, options: { 'integrated-gradients': { steps: 4 }, smoothgrad: { samples: 2 }, occlusion: { window: 8, stride: 8 } } };
    const { summary } = await sanityRun(run, options, { ...ctx, seeds: [1] });
    for (const m of NEW) assert.strictEqual(summary.rows.find((r) => r.method === m && r.metric === 'spearman@trained' && r.class === 'all')?.summary.mean, 1, m);
    const again = explainConfigOf(run, 1);
    assert.deepStrictEqual(again.methods, explainedMethods(run, [1]));
    assert.deepStrictEqual(again.options.smoothgrad, { base: 'gradcam', samples: 3, noise: 0.15, aggregation: 'mean', seed: 0 });
  });

  it('the report shows their examples, each with its formula and drawn as its options say', async () => {
    const sections = await reportSections(run);
    const examples = sections.find((s) => s.id === 'examples')!;
    const text = JSON.stringify(examples.blocks);
    for (const label of ['Integrated Gradients', 'SmoothGrad', 'Occlusion']) assert.ok(text.includes(`<h3>${label}, seed 1</h3>`), label);
    const block = (label: string) => examples.blocks[examples.blocks.findIndex((b) => b.kind === 'html' && b.html.includes(`<h3>${label},`)) + 1];
    // SmoothGrad over Grad-CAM is non-negative (drawn like Grad-CAM); Occlusion is signed.
    assert.match(JSON.stringify(block('SmoothGrad')), /Scaled to its maximum/);
    assert.match(JSON.stringify(block('Occlusion')), /Red: evidence for/);
  });
});
