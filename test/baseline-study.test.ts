import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AUDIT_DEFAULTS } from '../lib/config/audit';
import { checkBaselineStudyConfig, MEASURED_BASELINE } from '../lib/config/baseline-study';
import { runConfig } from '../lib/config/run-config';
import { gradientShapExplainer } from '../lib/explain/gradient-shap';
import { integratedGradientsExplainer } from '../lib/explain/integrated-gradients';
import { baselineReason, baselineSection } from '../lib/report/sections/baselines';
import { ConfigError } from '../lib/config/schema';
import { baselineStudy, bestBaselines, studyTable } from '../lib/pipeline/baseline-study';
import type { BaselineStudyFile } from '../lib/run/files';
import { RunFolder } from '../lib/run/run-folder';
import { summarise } from '../lib/util/interval';
import { localExecutor } from '../lib/worker/local-executor';
import { BACKEND, tinyRun } from './audit-run-fixture';

describe('the baseline study (which reference should GradientSHAP measure against?)', function () {
  this.timeout(600_000);
  let run: string;
  let study: BaselineStudyFile;
  const settings = {
    baselineStudy: { images: 4, sweepImages: 3 },
    explain: { target: 'logit' as const, options: { gradientshap: { samples: 4, baselineImages: 4 }, 'integrated-gradients': { steps: 4, baselineImages: 4 } } },
    audit: { ...AUDIT_DEFAULTS, fractions: [0.1, 0.5], randomDraws: 2 },
  };

  before(async () => {
    const t = await tinyRun();
    // A copy of the tiny run with a planted-bias sweep of two strengths (the same models stand for both).
    run = path.join(t.tmp, 'baseline-study-run');
    fs.cpSync(t.run, run, { recursive: true });
    const sweep = new RunFolder(run).biasSweep;
    for (const p of [0, 1]) fs.cpSync(t.run, sweep.strength(p).dir, { recursive: true });
    fs.writeFileSync(sweep.resultFile, JSON.stringify({ region: 'hair', points: [{ strength: 0 }, { strength: 1 }] }));
    study = await baselineStudy(run, settings, { executor: localExecutor({ jobs: 2 }) });
  });

  it('measures every baseline of every method with a baseline option, on every seed: gaps per fill, completeness, time', () => {
    const baselines = ['black', 'blur', 'noise', 'training'];
    assert.deepStrictEqual(study.measures.map((m) => `${m.method}/${m.baseline}`), ['gradientshap', 'integrated-gradients'].flatMap((m) => baselines.map((b) => `${m}/${b}`)));
    assert.deepStrictEqual(study.seeds, [1, 2]);
    for (const m of study.measures) {
      for (const f of AUDIT_DEFAULTS.fills) {
        assert.strictEqual(m.deletion[f].n, 2, `${m.baseline} ${f}`);
        assert.ok(Number.isFinite(m.deletion[f].mean));
      }
      // The ranking figure is the mean over the fills of the per-seed gaps.
      const perFill = AUDIT_DEFAULTS.fills.map((f) => m.deletion[f].mean);
      assert.ok(Math.abs(m.deletionMean.mean - perFill.reduce((s, v) => s + v, 0) / perFill.length) < 1e-9);
      assert.ok(m.completenessError.mean >= 0 && m.scoreChange.mean >= 0, `${m.baseline}: completeness ${m.completenessError.mean}, change ${m.scoreChange.mean}`);
      assert.ok(m.secondsPerImage.mean > 0);
    }
    // The blur baseline of a 24-px image at σ = 8 px is almost the image's mean colour: y(x) − y(b) is not 0 for every image.
    assert.ok(study.measures.some((m) => m.scoreChange.mean > 0));
  });

  it('measures the planted region on the sweep runs: shares in [0, 1], the same area for every baseline', () => {
    assert.deepStrictEqual(study.planted, { region: 'hair', strengths: [0, 1], images: 3 });
    const areas = study.measures.map((m) => m.planted.map((p) => p.area.mean));
    for (const m of study.measures) {
      assert.deepStrictEqual(m.planted.map((p) => p.strength), [0, 1]);
      for (const p of m.planted) {
        assert.ok(p.share.mean >= 0 && p.share.mean <= 1, `${m.baseline}: share ${p.share.mean}`);
        assert.ok(p.area.mean > 0 && p.area.mean < 1, `${m.baseline}: area ${p.area.mean}`);
      }
    }
    for (const a of areas) assert.deepStrictEqual(a, areas[0]);
    // The hair is a real part of the picture on the synthetic faces.
    assert.ok(areas[0][0] > 0.03, `hair area ${areas[0][0]}`);
  });

  it('names the best-measured baseline: the largest mean deletion gap', () => {
    for (const method of ['gradientshap', 'integrated-gradients']) {
      const best = study.best[method];
      const top = study.measures.filter((m) => m.method === method).sort((a, b) => b.deletionMean.mean - a.deletionMean.mean)[0];
      assert.strictEqual(best.baseline, top.baseline);
      assert.match(best.why, /largest mean deletion gap over the fills/);
    }
    const table = studyTable(study);
    assert.strictEqual(table.length, 8);
    assert.ok('deletion gap (mean over fills)' in table[0] && 'hair share at p = 1' in table[0]);
    // And the rule itself, on made-up figures.
    const m = (baseline: string, gap: number) => ({ ...study.measures[0], baseline, deletionMean: summarise([gap, gap, gap]) });
    assert.strictEqual(bestBaselines([m('black', -0.2), m('blur', 0.4), m('noise', 0.1)]).gradientshap.baseline, 'blur');
    assert.match(bestBaselines([m('black', -0.2), m('blur', -0.1)]).gradientshap.why, /does NOT beat random pixels/);
  });

  it("the report says which baseline the run used and why: its own study, else the measurement behind the default", async () => {
    const section = (await baselineSection(new RunFolder(run)))!;
    const text = section.blocks.filter((b) => b.kind === 'text').map((b) => (b as { text: string }).text).join('\n');
    // The tiny run was explained with GradientSHAP's own default, black.
    assert.match(text, new RegExp(`GradientSHAP's maps in this run are measured against \\*\\*black\\*\\*\\. This run's baseline study (agrees|prefers \\*\\*${study.best.gradientshap.baseline}\\*\\*)`));
    assert.ok(section.blocks.some((b) => b.kind === 'table'));
    assert.match(baselineReason(gradientShapExplainer, 'black'), /^black: the paper's choice .* the measured default is noise — .*8\.91 logits/);
    assert.match(baselineReason(gradientShapExplainer, MEASURED_BASELINE.baseline), /^noise: the default of new runs/);
    assert.match(baselineReason(integratedGradientsExplainer, 'black'), /^black: Integrated Gradients's own default, not yet chosen/);
    // The presets: new runs use the measured baseline, the paper's keeps black.
    assert.strictEqual(runConfig({ preset: 'full' }).explain.options.gradientshap.baseline, MEASURED_BASELINE.baseline);
    assert.strictEqual(runConfig({ preset: 'small' }).explain.options.gradientshap.baseline, MEASURED_BASELINE.baseline);
    assert.strictEqual(runConfig({ preset: 'paper' }).explain.options.gradientshap.baseline, 'black');
  });

  it('resumes: finished seeds are kept', async () => {
    const file = new RunFolder(run).baselineStudy.seedFile(1);
    const before = fs.statSync(file).mtimeMs;
    const again = await baselineStudy(run, settings, { executor: localExecutor({ jobs: 2 }) });
    assert.strictEqual(fs.statSync(file).mtimeMs, before);
    assert.deepStrictEqual(again.measures, study.measures);
  });

  it('refuses a baseline no method offers, and a method without a baseline', () => {
    assert.throws(() => checkBaselineStudyConfig({ images: 1, sweepImages: 0, baselines: ['pink'] }), (e: Error) => e instanceof ConfigError && /GradientSHAP has no baseline "pink" \(it offers black, blur, noise, training\)/.test(e.message));
    assert.throws(() => checkBaselineStudyConfig({ images: 1, sweepImages: 0, methods: ['gradcam'] }), /Grad-CAM has no baseline option/);
  });

  it('runs from the command line', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'smile-lens.js');
    const r = spawnSync(process.execPath, [bin, 'baselines', '--run', run, '--methods', 'gradientshap', '--baselines', 'black,blur', '--images', '2', '--sweep-images', '0', '--random-draws', '1', '--backend', BACKEND], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /GradientSHAP: best-measured baseline (black|blur): the largest mean deletion gap/);
    assert.deepStrictEqual(new RunFolder(run).baselineStudy.readStudy()!.measures.map((m) => m.baseline), ['black', 'blur']);
    const bad = spawnSync(process.execPath, [bin, 'baselines', '--run', run, '--baselines', 'pink', '--backend', BACKEND], { encoding: 'utf8' });
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /no baseline "pink"/);
  });
});
