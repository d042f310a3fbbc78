import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AuditRecord } from '../lib/audit/aggregate';
import { loadDataset } from '../lib/data/dataset';
import { auditRun, AuditResult, readAuditSummary } from '../lib/pipeline/audit-run';
import { explainRun } from '../lib/pipeline/explain-run';
import { AUDIT_DEFAULTS } from '../lib/config/audit';
import { RunFolder } from '../lib/run/run-folder';
import { localExecutor } from '../lib/worker/local-executor';
import { PARTITION_REGIONS, regionSource } from '../lib/pipeline/audit-region-labels';
import { UNLABELLED_NAME } from '../lib/data/regions';
import { auditInWords, faceMetricTable, regionShareTable } from '../lib/pipeline/audit-tables';
import { regionShareFigure } from '../lib/figures/audit-shares';
import { EXPRESSIONS } from '../lib/data/expressions';
import { BACKEND, tinyRun, TinyRun } from './audit-run-fixture';

describe('the audit of a run (experiment 1: where does the network look?)', function () {
  this.timeout(600_000);
  let t: TinyRun;
  let result: AuditResult;

  before(async () => {
    t = await tinyRun();
    result = await auditRun(t.run, { ...AUDIT_DEFAULTS, fractions: [0.1, 0.5], randomDraws: 2 }, { executor: localExecutor({ jobs: 2 }) });
  });

  const byImage = (records: AuditRecord[]) => {
    const groups = new Map<string, AuditRecord[]>();
    for (const r of records) {
      const k = `${r.seed}|${r.method}|${r.image}`;
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    return groups;
  };

  it('gives every explained map finite region shares; over a partition of the picture they sum to 1', () => {
    const groups = byImage(result.records);
    // 2 seeds × 2 methods × 5 images.
    assert.strictEqual(groups.size, 20);
    for (const [key, records] of groups) {
      const value = (metric: string) => records.find((r) => r.metric === metric)?.value ?? NaN;
      const partition = [...PARTITION_REGIONS, UNLABELLED_NAME];
      for (const kind of ['area', 'absoluteShare']) {
        const values = partition.map((r) => value(`${kind}/${r}`));
        assert.ok(values.every(Number.isFinite), `${key}: ${kind} not finite: ${values}`);
        const sum = values.reduce((s, v) => s + v, 0);
        assert.ok(Math.abs(sum - 1) < 1e-6, `${key}: ${kind} sums to ${sum}`);
      }
      // The face's parts are inside the face.
      const parts = ['mouth', 'eyes', 'brows'].reduce((s, r) => s + value(`absoluteShare/${r}`), 0);
      assert.ok(parts <= value('absoluteShare/face') + 1e-9);
      // Ground truth has no unlabelled pixels.
      assert.strictEqual(value(`area/${UNLABELLED_NAME}`), 0);
      for (const m of ['rma/face', 'rra/face', 'pointingGame/face']) assert.ok(value(m) >= 0 && value(m) <= 1, `${key}: ${m} = ${value(m)}`);
      // Grad-CAM is non-negative: its positive and absolute shares agree.
      if (key.includes('gradcam')) assert.ok(Math.abs(value('positiveShare/hair') - value('absoluteShare/hair')) < 1e-9);
    }
  });

  it("scores the explained class as the explainer did (the games' unperturbed score is the sidecar's)", () => {
    for (const method of ['gradcam', 'gradientshap'] as const) {
      for (const s of new RunFolder(t.run).explanations(method, 1).readIndex()!) {
        const original = result.records.find((r) => r.seed === 1 && r.method === method && r.image === s.image && r.metric === 'faithfulness/originalScore')!;
        assert.ok(Math.abs(original.value - s.score) < 1e-3 * Math.max(1, Math.abs(s.score)), `${s.image}: ${original.value} vs ${s.score}`);
      }
    }
    const metrics = new Set(result.records.map((r) => r.metric));
    for (const fill of ['blur', 'mean-colour', 'black']) {
      for (const m of [`deletion/${fill}/attributed@0.1`, `deletion/${fill}/random@0.5`, `deletion/${fill}/gap`, `insertion/${fill}/auc`, `insertion/${fill}/gap`, `fill/${fill}/score`]) assert.ok(metrics.has(m), `${m} missing`);
    }
    for (const m of ['deletion/all/gap', 'insertion/all/gap']) assert.ok(metrics.has(m), `${m} missing`);
    // The random control is played once per photo: the same for both methods.
    const random = (method: string) => result.records.filter((r) => r.seed === 1 && r.method === method && r.metric === 'deletion/black/randomAuc').map((r) => [r.image, r.value]);
    assert.deepStrictEqual(random('gradcam'), random('gradientshap'));
    // The mean-colour fill is 0 in input space; the black fill's score differs from it.
    const fillScore = (fill: string) => result.records.find((r) => r.seed === 1 && r.metric === `fill/${fill}/score`)!.value;
    assert.notStrictEqual(fillScore('black'), fillScore('mean-colour'));
  });

  it('says beside each method whether its maps beat random pixels (words, the summary CSV verdict column)', () => {
    const words = auditInWords(result.summary.rows);
    for (const label of ['Grad-CAM', 'GradientSHAP']) assert.match(words, new RegExp(`${label} (passes the (deletion|insertion) check|\\*\\*fails the|is not clearly better)`));
    const csv = fs.readFileSync(new RunFolder(t.run).audit.summaryCsv, 'utf8').split('\r\n');
    const header = csv[0].split(',');
    const verdict = header.indexOf('verdict');
    assert.ok(verdict > 0);
    const gaps = csv.slice(1).filter((l) => /\/gap,/.test(l));
    assert.ok(gaps.length >= 2 * 2 * 4);
    for (const l of gaps) assert.match(l.split(',')[verdict], /^(passes|fails|unclear)$/);
    assert.ok(csv.slice(1).filter((l) => l && !/\/gap,/.test(l)).every((l) => l.split(',')[verdict] === ''));
  });

  it('plays the games on the target the maps explain: log-probabilities for maps of log p_c', async () => {
    const copy = path.join(t.tmp, 'log-prob-run');
    fs.cpSync(t.run, copy, { recursive: true });
    fs.rmSync(path.join(copy, 'explanations'), { recursive: true, force: true });
    fs.rmSync(path.join(copy, 'audit'), { recursive: true, force: true });
    const executor = localExecutor({ jobs: 1 });
    await explainRun(copy, { ...t.explain, methods: ['gradcam'], target: 'log-prob' }, { executor, seeds: [1] });
    const r = await auditRun(copy, { ...AUDIT_DEFAULTS, methods: ['gradcam'], fills: ['blur'], fractions: [0.5], randomDraws: 1 }, { executor, seeds: [1] });
    assert.deepStrictEqual(r.summary.targets, ['log-prob']);
    for (const s of new RunFolder(copy).explanations('gradcam', 1).readIndex()!) {
      const original = r.records.find((x) => x.image === s.image && x.metric === 'faithfulness/originalScore')!;
      assert.ok(s.score < 0, `log p = ${s.score}`);
      assert.ok(Math.abs(original.value - s.score) < 1e-3, `${s.image}: ${original.value} vs ${s.score}`);
      for (const x of r.records.filter((y) => y.image === s.image && /^(deletion|insertion)\/blur\/(attributed|random)@/.test(y.metric))) assert.ok(x.value <= 1e-6, `${x.metric} = ${x.value}`);
    }
  });

  it('aggregates per expression and overall, with one mean per seed', () => {
    const rows = result.summary.rows;
    const hair = rows.filter((r) => r.method === 'gradcam' && r.metric === 'absoluteShare/hair');
    const classes = new Set(result.records.map((r) => r.class));
    assert.deepStrictEqual(hair.map((r) => r.class).sort(), [...classes, 'all'].sort());
    const all = hair.find((r) => r.class === 'all')!;
    assert.strictEqual(all.seeds, 2);
    assert.strictEqual(all.images, 10);
    // The overall mean is the mean of the per-seed means of the records.
    const perSeed = [1, 2].map((s) => {
      const v = result.records.filter((r) => r.seed === s && r.method === 'gradcam' && r.metric === 'absoluteShare/hair').map((r) => r.value);
      return v.reduce((a, b) => a + b, 0) / v.length;
    });
    assert.ok(Math.abs(all.summary.mean - (perSeed[0] + perSeed[1]) / 2) < 1e-12);
    // Two seeds: a mean, no interval.
    assert.strictEqual(all.summary.method, 'too-few-seeds');
    assert.ok(all.summary.ci95.every(Number.isNaN));
    assert.ok([...classes].every((c) => (EXPRESSIONS as readonly string[]).includes(c)));
  });

  it('writes the CSV and JSON files, reads back, and builds the tables and the figure', () => {
    const audit = new RunFolder(t.run).audit;
    const csv = fs.readFileSync(audit.recordsCsv, 'utf8');
    assert.match(csv, /^seed,method,image,class,metric,region,fill,fraction,value\r\n/);
    assert.strictEqual(csv.trim().split('\r\n').length, result.records.length + 1);
    assert.match(fs.readFileSync(audit.summaryCsv, 'utf8'), /^method,metric,class,seeds,images,missing,mean,std,ci95_low,ci95_high/);
    const summary = readAuditSummary(t.run)!;
    assert.strictEqual(summary.rows.length, result.summary.rows.length);
    assert.strictEqual(summary.regions.kind, 'ground-truth');
    assert.match(summary.regions.reason, /automatic: the data set has region label maps/);
    assert.match(fs.readFileSync(audit.summaryCsv, 'utf8').split('\r\n')[1], /,ground-truth,none$/);
    const table = regionShareTable(summary.rows);
    assert.strictEqual(table.length, 2 * 9);
    assert.match(table.find((r) => r.method === 'Grad-CAM' && r.region === 'hair')!['absolute share'], /^\d+\.\d%/);
    assert.strictEqual(faceMetricTable(summary.rows).length, 2);
    const fig = regionShareFigure(summary.rows);
    assert.deepStrictEqual(fig.data.map((d) => d.name), ['Grad-CAM', 'GradientSHAP', 'area share (uniform map)']);
  });

  it('resumes: finished seeds are kept and give the same records', async () => {
    const seedFile = new RunFolder(t.run).audit.seedFile(1);
    const before = fs.statSync(seedFile).mtimeMs;
    const again = await auditRun(t.run, { ...AUDIT_DEFAULTS, fractions: [0.1, 0.5], randomDraws: 2 }, { executor: localExecutor({ jobs: 2 }) });
    assert.strictEqual(fs.statSync(seedFile).mtimeMs, before);
    assert.deepStrictEqual(again.records.map((r) => r.value), result.records.map((r) => r.value));
  });

  it('runs from the command line, and names a wrong method', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'smile-lens.js');
    const r = spawnSync(process.execPath, [bin, 'audit', '--run', t.run, '--methods', 'gradcam', '--no-deletion', '--backend', BACKEND], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /Grad-CAM \(absolute attribution, mean over 2 seeds\): face \d+\.\d% \(area \d+\.\d%\)/);
    const summary = readAuditSummary(t.run)!;
    assert.deepStrictEqual(summary.methods, ['gradcam']);
    assert.ok(!summary.rows.some((row) => row.metric.startsWith('deletion')));
    const bad = spawnSync(process.execPath, [bin, 'audit', '--run', t.run, '--methods', 'lime', '--backend', BACKEND], { encoding: 'utf8' });
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /--methods: expected each value to be one of gradcam, gradientshap\b.*, got "lime"/);
  });

  it('computes masks from the pixels with the colour rules when asked', async () => {
    const dataset = await loadDataset(t.data, { size: 24, table: false, masks: false });
    const source = await regionSource(dataset, 'colour', { indices: [0], cacheDir: false });
    assert.strictEqual(source.kind, 'colour');
    assert.deepStrictEqual(source.regions, ['background', 'hair', 'face', 'shirt']);
    const labels = source.labels(0)!;
    assert.strictEqual(labels.length, 24 * 24);
    // The synthetic photo's white backdrop is found as background (id 0) in the top corners.
    assert.strictEqual(labels[0], 0);
    assert.strictEqual(labels[23], 0);
  });
});
