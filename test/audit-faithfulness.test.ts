import * as assert from 'assert';
import { aggregate, AuditRecord } from '../lib/audit/aggregate';
import { GamesResult } from '../lib/audit/deletion-insertion';
import { auditMetricKind } from '../lib/pipeline/audit-image';
import { faithfulnessFindings, faithfulnessInWords, faithfulnessRecords, faithfulnessTable, gapVerdict, withVerdicts } from '../lib/pipeline/audit-faithfulness';
import { aggregateTable } from '../lib/audit/aggregate';
import { summarise } from '../lib/util/interval';

/** Gap records of one method: per seed, per fill, images with the given gaps. */
function gapRecords(method: string, gaps: Record<string, number[][]>): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const [fill, perSeed] of Object.entries(gaps)) {
    perSeed.forEach((values, s) =>
      values.forEach((value, i) => {
        for (const game of ['deletion', 'insertion']) out.push({ image: `i${i}`, class: 'N', method, seed: s + 1, metric: `${game}/${fill}/gap`, value, fill });
      }),
    );
  }
  return out;
}

describe('audit: faithfulness beside the shares (verdicts and words)', () => {
  it('passes a gap whose interval lies above 0, fails one whose mean is ≤ 0, and calls the rest unclear', () => {
    const row = (values: number[]) => ({ summary: summarise(values), perSeed: values.map((mean, i) => ({ seed: i + 1, mean, images: 1 })) });
    assert.strictEqual(gapVerdict(row([0.5, 0.6, 0.7])), 'passes');
    assert.strictEqual(gapVerdict(row([-0.5, 0.2, 0.1])), 'fails');
    assert.strictEqual(gapVerdict(row([0, 0, 0])), 'fails');
    assert.strictEqual(gapVerdict(row([0.5, -0.3, 0.1])), 'unclear');
    // Below three seeds there is no interval: passes only when every seed is above 0.
    assert.strictEqual(gapVerdict(row([0.2, 0.4])), 'passes');
    assert.strictEqual(gapVerdict(row([0.6, -0.1])), 'unclear');
    assert.strictEqual(gapVerdict(row([])), 'unclear');
  });

  it('says in words, per game and fill, where a method is no better than random; the CSV gets a verdict column', () => {
    const seeds = (m: number) => [[m, m + 0.1], [m + 0.05, m], [m - 0.05, m + 0.1]];
    const records = [
      ...gapRecords('gradientshap', { blur: seeds(0.4), 'mean-colour': seeds(0.3), black: seeds(-0.2) }),
      ...gapRecords('gradcam', { blur: seeds(0.5), 'mean-colour': seeds(0.6), black: seeds(0.7) }),
    ];
    const rows = aggregate(records, auditMetricKind);
    const shap = faithfulnessInWords(rows, 'gradientshap');
    assert.match(shap, /^GradientSHAP \*\*fails the deletion check — no better than deleting random pixels — with the fill black \(gap −?-0\.\d\d logit, 95% CI/);
    assert.match(shap, /is better than random with blur \(gap \+0\.4\d logit, 95% CI \+0\.\d\d to \+0\.\d\d\), mean colour/);
    assert.match(shap, /It \*\*fails the insertion check — no better than inserting random pixels/);
    assert.match(faithfulnessInWords(rows, 'gradcam', 'log-probability'), /^Grad-CAM passes the deletion check with every fill, better than deleting random pixels: blur \(gap \+0\.5\d log-probability/);
    const findings = faithfulnessFindings(rows, ['gradcam', 'gradientshap']);
    assert.deepStrictEqual(findings.filter((f) => f.verdict === 'fails').map((f) => `${f.method} ${f.game} ${f.fill}`), ['gradientshap deletion black', 'gradientshap insertion black']);
    const table = faithfulnessTable(rows, ['gradcam', 'gradientshap']);
    assert.strictEqual(table.find((r) => r.method === 'GradientSHAP' && r.check === 'deletion' && r.fill === 'black')!.verdict, 'NO better than random');
    const csv = withVerdicts(aggregateTable(rows), rows);
    assert.strictEqual(csv.find((r) => r.method === 'gradientshap' && r.metric === 'deletion/black/gap' && r.class === 'all')!.verdict, 'fails');
    assert.strictEqual(csv.find((r) => r.method === 'gradcam' && r.metric === 'insertion/blur/gap' && r.class === 'all')!.verdict, 'passes');
  });

  it('turns one photo\'s games into records per method, fill and game, with the mean gap over fills', () => {
    const curve = (start: number, gap: number) => ({ start, attributed: [{ fraction: 0.5, pixels: 2, score: 1 }], random: [{ fraction: 0.5, pixels: 2, score: 2, scoreStd: 0 }], auc: { attributed: 1, random: 2 }, gap });
    const games: GamesResult = {
      original: 3,
      maps: [
        [
          { fill: 'blur', fillScore: 0.5, deletion: curve(3, 1), insertion: curve(0.5, -1) },
          { fill: 'black', fillScore: -2, deletion: curve(3, 3), insertion: curve(-2, 2) },
        ],
      ],
    };
    const records = faithfulnessRecords({ image: 'a.jpg', class: 'HC', seed: 4 }, ['gradcam'], games);
    const value = (metric: string) => records.find((r) => r.metric === metric)?.value;
    assert.strictEqual(value('faithfulness/originalScore'), 3);
    assert.strictEqual(value('fill/black/score'), -2);
    assert.strictEqual(value('deletion/blur/attributed@0.5'), 1);
    assert.strictEqual(value('insertion/black/random@0.5'), 2);
    assert.strictEqual(value('deletion/all/gap'), 2);
    assert.strictEqual(value('insertion/all/gap'), 0.5);
    assert.ok(records.every((r) => r.method === 'gradcam' && r.seed === 4 && auditMetricKind(r.metric) === 'unbounded'));
    assert.throws(() => faithfulnessRecords({ image: 'a.jpg', class: 'HC', seed: 4 }, ['gradcam', 'gradientshap'], games), /2 methods for 1 maps/);
  });
});
