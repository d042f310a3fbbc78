// The run report (report.html) of a tiny run with all four audit experiments,
// opened in headless Chromium from a file:// URL: every chart drawn by the
// embedded plotly.js, no console errors, no network requests.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MATH_STATE, MathState, withHeadlessPage } from './headless-page';
import { auditRun } from '../lib/pipeline/audit-run';
import { AUDIT_DEFAULTS } from '../lib/config/audit';
import { SANITY_DEFAULTS } from '../lib/config/sanity';
import { BIAS_SWEEP_SMALL } from '../lib/config/bias-sweep';
import { sanityRun } from '../lib/pipeline/sanity-checks';
import { maskedRetraining } from '../lib/pipeline/masked-retraining';
import { BiasSweepResult, sweepVerdicts, SweepPoint } from '../lib/pipeline/planted-bias-sweep';
import { writeReport } from '../lib/report/report';
import { RunFolder } from '../lib/run/run-folder';
import { localExecutor } from '../lib/worker/local-executor';
import { textToHtml } from '../lib/report/html';
import { findRow } from '../lib/audit/aggregate';
import { tinyRun, TinyRun } from './audit-run-fixture';

describe('the run report (report.html)', function () {
  this.timeout(600_000);
  let t: TinyRun;
  let written: { file: string; figures: number };

  before(async () => {
    t = await tinyRun();
    const ctx = { executor: localExecutor({ jobs: 2 }), log: () => undefined };
    const audit = await auditRun(t.run, { ...AUDIT_DEFAULTS, fractions: [0.1, 0.5], randomDraws: 2 }, ctx);
    assert.ok(audit.summary.rows.some((r) => r.metric === 'insertion/black/gap'));
    await sanityRun(t.run, { ...SANITY_DEFAULTS, images: 4, options: { gradientshap: { samples: 4, baseline: 'black' } }, randomLabelEpochs: 1 }, ctx);
    await maskedRetraining(t.run, {}, ctx);
    // The sweep's section is drawn from a stand-in result (its pipeline has its own test): the tiny run's audit at two strengths.
    const point = (strength: number): SweepPoint => ({
      strength,
      run: t.run,
      accuracy: { biased: { n: 2, mean: 0.3 + 0.5 * strength, std: 0.05, ci95: [0.2, 0.9] }, broken: { n: 2, mean: 0.3, std: 0.05, ci95: [0.2, 0.4] } },
      followsPlant: { n: 2, mean: 0.2 + 0.5 * strength, std: 0.05, ci95: [0.1, 0.8] },
      area: findRow(audit.summary.rows, 'gradcam', 'area/hair')!.summary,
      shares: Object.fromEntries(['gradcam', 'gradientshap'].map((m) => [m, { absolute: findRow(audit.summary.rows, m, 'absoluteShare/hair')!.summary, positive: findRow(audit.summary.rows, m, 'positiveShare/hair')!.summary }])),
    });
    const points = [point(0), point(1)];
    const sweep: BiasSweepResult = { config: BIAS_SWEEP_SMALL, region: 'hair', points, verdicts: sweepVerdicts(points, BIAS_SWEEP_SMALL.methods), seconds: 0 };
    const sweepFile = new RunFolder(t.run).biasSweep.resultFile;
    fs.mkdirSync(path.dirname(sweepFile), { recursive: true });
    fs.writeFileSync(sweepFile, JSON.stringify(sweep));
    written = await writeReport(t.run);
  });

  it('writes one self-contained page with every section', () => {
    assert.strictEqual(written.file, new RunFolder(t.run).reportFile);
    const html = fs.readFileSync(written.file, 'utf8');
    for (const id of ['run', 'training', 'examples', 'audit', 'bias-sweep', 'sanity', 'masked']) assert.ok(html.includes(`<section id="${id}">`), `section ${id} missing`);
    // learning curves, confusion, 2 share charts, 2 per-expression charts, faithfulness gaps and curves, 2 sweep charts, sanity, masked.
    assert.strictEqual(written.figures, 12);
    assert.strictEqual((html.match(/class="report-figure-json"/g) ?? []).length, written.figures);
    assert.ok(!/<script[^>]+src=/i.test(html), 'no external scripts');
    // (plotly.js itself mentions map-tile sites in strings; the page's own markup links nowhere.)
    const markup = html.replace(/<script[\s\S]*?<\/script>/g, '');
    assert.ok(!/(src|href)="https?:/i.test(markup), 'no links to the network');
    assert.ok((html.match(/<img src="data:image\/png;base64,/g) ?? []).length >= 10, 'example overlays embedded');
    // The audit's regions beside the maps of the same images.
    const grid = html.slice(html.indexOf('The regions measured, beside the maps'));
    assert.ok(grid.length > 0 && /regions \(ground-truth\)/.test(grid), 'mask grid missing');
  });

  it('opens in headless Chromium with every chart drawn and no console errors', async () => {
    await withHeadlessPage(written.file, async (tab, problems) => {
    // A string, not a function: tsx would add helpers (__name) that do not exist in the page.
    await tab.waitForFunction(`document.querySelectorAll('.js-plotly-plot .main-svg').length > 0 && [...document.querySelectorAll('.report-figure-plot')].every((p) => p.querySelector('.main-svg'))`, undefined, { timeout: 30_000 });
    const drawn = (await tab.evaluate(`[...document.querySelectorAll('.report-figure-plot')].map((p) => {
      const svg = p.querySelector('.js-plotly-plot .main-svg');
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      return { plot: p.classList.contains('js-plotly-plot'), width: box.width, height: box.height, traces: p.querySelectorAll('.trace, .hm, .imagelayer image').length };
    })`)) as { plot: boolean; width: number; height: number; traces: number }[];
    assert.strictEqual(drawn.length, written.figures);
    for (const [k, d] of drawn.entries()) {
      assert.ok(d.plot && d.width > 200 && d.height > 200, `figure ${k + 1} not drawn: ${JSON.stringify(d)}`);
      assert.ok(d.traces > 0, `figure ${k + 1} has no traces drawn`);
    }
    // One drawn plot per figure (a plot holds several .main-svg layers, so count the plots).
    assert.strictEqual(await tab.evaluate(`[...document.querySelectorAll('.js-plotly-plot')].filter((p) => p.querySelector('.main-svg')).length`), written.figures);
    // The formulas of the examples and audit sections, typeset by the inlined KaTeX.
    await tab.evaluate('document.fonts.ready');
    const math = (await tab.evaluate(MATH_STATE)) as MathState;
    assert.ok(math.katex >= 4, `formulas typeset: ${JSON.stringify(math)}`);
    assert.deepStrictEqual([math.rawDisplay, math.rawTex, math.errors, math.fontsLoaded], [0, [], [], true], 'raw TeX left visible, or fonts missing');
    assert.deepStrictEqual(problems, []);
    });
  });

  it('turns **bold** and paragraphs into HTML, escaping the rest', () => {
    assert.strictEqual(textToHtml('a **b** <c>\n\nd'), '<p>a <strong>b</strong> &lt;c&gt;</p>\n<p>d</p>');
  });
});
