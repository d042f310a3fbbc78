import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { buildPaperNet } from '../lib/model/paper-net';
import { cascadeStages, reinitialiseLayers } from '../lib/pipeline/sanity-randomisation';
import { readSanitySummary, sanityRun, sanityTable } from '../lib/pipeline/sanity-checks';
import { SANITY_DEFAULTS } from '../lib/config/sanity';
import type { SanitySummaryFile } from '../lib/run/files';
import { RunFolder } from '../lib/run/run-folder';
import { localExecutor } from '../lib/worker/local-executor';
import { sanityFigure } from '../lib/figures/audit-sanity';
import { tinyRun, TinyRun } from './audit-run-fixture';

const weightsOf = (model: tf.LayersModel, layer: string) => model.getLayer(layer).getWeights().map((w) => Array.from(w.dataSync()));
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('cascading randomisation (Adebayo et al. 2018): the mechanics', () => {
  it('groups the layers from the top: scores, dense1, block3, block2, block1', () => {
    const model = buildPaperNet({ size: 16, channels: [4, 8, 8], dense: 8, seed: 1 });
    const stages = cascadeStages(model);
    assert.deepStrictEqual(stages.map((s) => s.name), ['scores', 'dense1', 'block3', 'block2', 'block1']);
    assert.deepStrictEqual(stages[2].layers, ['block3_conv', 'block3_bn']);
    model.dispose();
  });

  it('re-initialises exactly the chosen layers, copying the fresh weights (the fresh model stays independent)', () => {
    const trained = buildPaperNet({ size: 16, channels: [4, 8, 8], dense: 8, seed: 1 });
    // Stand-in for training: batch-norm statistics and weights away from their initial values.
    trained.getLayer('block3_bn').setWeights(trained.getLayer('block3_bn').getWeights().map((w) => tf.fill(w.shape, 0.5)));
    const fresh = buildPaperNet({ size: 16, channels: [4, 8, 8], dense: 8, seed: 99 });
    const before = { scores: weightsOf(trained, 'scores'), dense1: weightsOf(trained, 'dense1') };
    reinitialiseLayers(trained, fresh, ['scores', 'block3_conv', 'block3_bn']);
    assert.deepStrictEqual(weightsOf(trained, 'scores'), weightsOf(fresh, 'scores'));
    assert.notDeepStrictEqual(weightsOf(trained, 'scores'), before.scores);
    assert.deepStrictEqual(weightsOf(trained, 'dense1'), before.dense1);
    // Batch norm back to γ = 1, β = 0, moving mean 0, variance 1.
    assert.deepStrictEqual(weightsOf(trained, 'block3_bn').map((w) => [...new Set(w)]), [[1], [0], [0], [1]]);
    // A copy, not shared variables: changing the target leaves the fresh model alone.
    trained.getLayer('scores').setWeights(trained.getLayer('scores').getWeights().map((w) => tf.zerosLike(w)));
    assert.ok(weightsOf(fresh, 'scores')[0].some((v) => v !== 0));
    assert.throws(() => reinitialiseLayers(trained, buildPaperNet({ size: 16, channels: [4, 8, 16], dense: 8 }), ['block3_conv']), /re-initialising layer block3_conv: the fresh network's weights \(3×3×8×16\) do not match \(3×3×8×8\)/);
    trained.dispose();
    fresh.dispose();
  });
});

describe('sanity checks of a run (experiment 3)', function () {
  this.timeout(600_000);
  let t: TinyRun;
  let summary: SanitySummaryFile;
  let weightsBefore: string;

  before(async () => {
    t = await tinyRun();
    weightsBefore = sha(path.join(new RunFolder(t.run).seed(1).modelDir, 'weights.bin'));
    summary = (await sanityRun(t.run, { ...SANITY_DEFAULTS, images: 5, options: { gradientshap: { samples: 8, baseline: 'black' } }, randomLabelEpochs: 2 }, { executor: localExecutor({ jobs: 2 }) })).summary;
  });

  const mean = (method: string, metric: string, stage: string) => summary.rows.find((r) => r.method === method && r.metric === `${metric}@${stage}` && r.class === 'all')!.summary.mean;

  it('compares the maps at every stage, from the trained model to the random-label model', () => {
    assert.deepStrictEqual(summary.stages, ['trained', 'scores', 'dense1', 'block3', 'block2', 'block1', 'random labels']);
    for (const m of ['gradcam', 'gradientshap']) for (const metric of ['spearman', 'ssim']) assert.strictEqual(mean(m, metric, 'trained'), 1);
  });

  it('loses similarity when the whole network is randomised', () => {
    const lines: string[] = [];
    for (const m of ['gradcam', 'gradientshap']) {
      for (const metric of ['spearman', 'spearmanAbs', 'ssim', 'ssimAbs']) {
        const top = mean(m, metric, 'scores');
        const all = mean(m, metric, 'block1');
        lines.push(`${m} ${metric}: top layer ${top.toFixed(3)}, all layers ${all.toFixed(3)}`);
        assert.ok(all < 0.75, `${m} ${metric} after randomising every layer: ${all}`);
      }
    }
    // The magnitudes (what the maps are looked at for): randomising every layer moves further from the trained maps than
    // the top layer alone. (Signed: the top layer alone can already flip the sign, e.g. GradientSHAP's Spearman < 0.)
    for (const m of ['gradcam', 'gradientshap']) assert.ok(mean(m, 'spearmanAbs', 'block1') < mean(m, 'spearmanAbs', 'scores'), lines.join('\n'));
  });

  it('leaves the trained model on disk untouched and keeps the random-label model', () => {
    assert.strictEqual(sha(path.join(new RunFolder(t.run).seed(1).modelDir, 'weights.bin')), weightsBefore);
    const result = new RunFolder(t.run).sanity.randomLabels(1).readResult()!;
    assert.deepStrictEqual([result.status, result.epochs], ['done', 2]);
    assert.strictEqual(summary.randomLabelModels.length, 2);
    assert.ok(summary.randomLabelModels.every((r) => r.trainAccuracy >= 0 && r.trainAccuracy <= 1));
  });

  it('reads back, tabulates and draws', () => {
    const read = readSanitySummary(t.run)!;
    assert.deepStrictEqual(read.stages, summary.stages);
    const table = sanityTable(read);
    assert.strictEqual(table.length, 2 * 7);
    assert.strictEqual(table[0].spearman, 1);
    const fig = sanityFigure(read);
    assert.strictEqual(fig.data.length, 2 * 4);
    assert.deepStrictEqual(fig.data[0].x, summary.stages);
  });
});
