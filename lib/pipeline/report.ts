// The report of a run: one offline page with what the run found — training
// (seed table, learning curves, confusion matrix), example explanations, and
// the bias audit's four experiments, each section present when its results
// are in the run folder (or a sweep folder given).
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../util/atomic-write';
import { displayPath } from '../run/locations';
import { RunFolder, runFolder, SweepFolder } from '../run/run-folder';
import { resultInWords, seedTable } from '../train/seed-table';
import { learningCurvesFigure } from '../figures/learning-curves';
import { confusionFigure, sumConfusions } from '../figures/confusion-matrix';
import { regionShareFigure, expressionShareFigure } from '../figures/audit-shares';
import { deletionFigure } from '../figures/audit-deletion';
import { sweepAccuracyFigure, sweepShareFigure } from '../figures/audit-bias-sweep';
import { sanityFigure } from '../figures/audit-sanity';
import { maskedComparisonFigure } from '../figures/audit-masked';
import { EXPRESSIONS } from '../data/expressions';
import { readAuditSummary } from './audit-run';
import { auditInWords, deletionTable, faceMetricTable, regionShareTable } from './audit-tables';
import { EXPLAINERS } from '../explain/registry';
import { readBiasSweep, sweepInWords, sweepTable } from './planted-bias-sweep';
import { readSanitySummary, sanityTable } from './sanity-checks';
import { maskedComparisonTable, readMaskedComparison } from './masked-retraining';
import { renderReportHtml, ReportBlock, ReportSection } from './report-html';

export interface ReportOptions {
  /** A planted-bias sweep folder (default: <run>/bias-sweep, when it has a sweep.json). */
  biasSweep?: string | SweepFolder;
  /** Example overlays per method (one per expression, from the first seed). */
  examples?: number;
}

function overlayImages(run: RunFolder, seed: number, examples: number): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (const e of EXPLAINERS) {
    const m = e.name;
    const folder = run.explanations(m, seed);
    const sidecars = folder.readIndex();
    if (!sidecars?.length) continue;
    // One per expression first, so the examples cover the classes.
    const picked = [...EXPRESSIONS.map((x) => sidecars.find((s) => s.expression === x)), ...sidecars].filter((s, k, all) => s && all.indexOf(s) === k).slice(0, examples);
    blocks.push({ kind: 'html', html: `<h3>${e.label}, seed ${seed}</h3>` });
    blocks.push({
      kind: 'images',
      images: picked.map((s) => ({
        src: `data:image/png;base64,${fs.readFileSync(folder.file(s!.png)).toString('base64')}`,
        caption: `${path.basename(s!.image)}: true ${s!.expression}, explained ${s!.className} (${s!.predicted === s!.label ? 'correct' : `predicted ${EXPRESSIONS[s!.predicted]}`})`,
      })),
    });
  }
  return blocks;
}

/** The report's sections from whatever the run folder holds. */
export function reportSections(dir: string | RunFolder, options: ReportOptions = {}): ReportSection[] {
  const run = runFolder(dir);
  const configFile = run.readConfig();
  const cfg = configFile.experiment;
  const sections: ReportSection[] = [];
  const { data: dataFolder, ...settings } = cfg;
  sections.push({
    id: 'run',
    title: 'The run',
    blocks: [
      {
        kind: 'table',
        caption: 'settings',
        rows: [
          { setting: 'data', value: dataFolder },
          ...Object.entries(settings).map(([k, v]) => ({ setting: k, value: typeof v === 'object' ? JSON.stringify(v) : String(v) })),
          { setting: 'backend', value: configFile.backend },
          { setting: 'created', value: configFile.created },
          { setting: 'versions', value: JSON.stringify(configFile.versions) },
        ],
      },
    ],
  });

  if (run.hasMetrics()) {
    const metrics = run.readMetrics();
    const history = run.readHistory();
    const finished = metrics.seeds.filter((s) => s.validation);
    sections.push({
      id: 'training',
      title: 'Training',
      blocks: [
        { kind: 'text', text: resultInWords(metrics) },
        { kind: 'table', rows: seedTable(metrics), caption: 'validation figures per seed' },
        { kind: 'figure', figure: learningCurvesFigure(history, metrics.baselineSummary.majorityAccuracy.mean) },
        ...(finished.length ? [{ kind: 'figure' as const, figure: confusionFigure(sumConfusions(finished.map((s) => s.validation!.confusion)), metrics.classes, 'Confusion matrix (validation, summed over seeds)') }] : []),
      ],
    });
    const examples = overlayImages(run, finished[0]?.seed ?? cfg.seeds[0], options.examples ?? 5);
    if (examples.length) {
      sections.push({
        id: 'examples',
        title: 'Example explanations',
        blocks: [{ kind: 'text', text: String.raw`Grad-CAM, $L^c = \mathrm{ReLU}\big(\sum_k \alpha_k^c A^k\big)$ with $\alpha_k^c = \frac{1}{Z}\sum_{i,j} \partial y_c / \partial A^k_{ij}$: the map scaled to its maximum over the photo (display only). GradientSHAP, $\varphi = \frac{1}{n}\sum_s \nabla_x y_c\big(b_s + \alpha_s (x - b_s)\big) \odot (x - b_s)$: red for evidence for the explained class, blue against it, clipped at the 99th percentile of $|\varphi|$.` }, ...examples],
      });
    }
  }

  const audit = readAuditSummary(run);
  if (audit) {
    const rows = audit.rows;
    sections.push({
      id: 'audit',
      title: '1 · Where does the network look?',
      blocks: [
        { kind: 'text', text: `Regions: ${audit.regions.kind === 'ground truth' ? "the data set's ground-truth label maps" : 'computed from the pixels (lib/audit/cfd-regions.ts), no ground truth'}. Shares are of the attribution mass, $\\text{share}_R = \\sum_{i \\in R} |a_i| \\big/ \\sum_i |a_i|$ (the positive share with $\\max(a_i, 0)$ in place of $|a_i|$), read against the region's share of the picture (what a uniform map would give). Mean over ${audit.seeds.length} seed(s) with a 95% interval (Student's t over seeds).` },
        { kind: 'text', text: auditInWords(rows) },
        { kind: 'figure', figure: regionShareFigure(rows, 'absoluteShare') },
        { kind: 'figure', figure: regionShareFigure(rows, 'positiveShare') },
        { kind: 'table', rows: regionShareTable(rows), caption: 'share of attribution per region, all expressions' },
        { kind: 'figure', figure: expressionShareFigure(rows, 'hair') },
        { kind: 'figure', figure: expressionShareFigure(rows, 'face') },
        { kind: 'table', rows: faceMetricTable(rows), caption: 'the face as the region that should hold the evidence' },
        ...(rows.some((r) => r.metric.startsWith('deletionDrop/'))
          ? [
              { kind: 'figure' as const, figure: deletionFigure(rows) },
              { kind: 'table' as const, rows: deletionTable(rows), caption: 'deletion check: logit lost when pixels are replaced by the blurred image' },
            ]
          : []),
        { kind: 'html', html: `<p class="note">Every number: ${run.audit.recordsCsv}; aggregates: summary.csv and summary.json beside it.</p>` },
      ],
    });
  }

  const sweep = readBiasSweep(options.biasSweep ?? run.biasSweep);
  if (sweep) {
    sections.push({
      id: 'bias-sweep',
      title: '2 · Can the explainers find a planted bias?',
      blocks: [
        { kind: 'text', text: `A ${sweep.config.feature === 'hair' ? 'coloured clip in the hair' : 'tint of the background'} whose colour names the expression with probability p (else a random class's colour); ${sweep.config.synthetic.subjects} subjects, ${sweep.config.experiment.size} px, ${sweep.config.experiment.epochs} epochs, ${sweep.config.experiment.seeds.length} seed(s) per p. "Correlation broken": the same held-out photographs drawn again with p = 0.` },
        { kind: 'text', text: sweepInWords(sweep) },
        { kind: 'figure', figure: sweepAccuracyFigure(sweep) },
        { kind: 'figure', figure: sweepShareFigure(sweep) },
        { kind: 'table', rows: sweepTable(sweep), caption: 'per strength p' },
      ],
    });
  }

  const sanity = readSanitySummary(run);
  if (sanity) {
    sections.push({
      id: 'sanity',
      title: '3 · Sanity checks',
      blocks: [
        { kind: 'text', text: `Adebayo et al. (2018): the layers are re-initialised from the top (cumulatively), then a network trained on permuted labels; each map is compared with the trained network's map of the same image and class. ${sanity.options.images} validation images per seed, ${sanity.seeds.length} seed(s). A method that explains the network loses its similarity as the network is destroyed. Spearman is the sharper measure: SSIM of the signed maps stays high for any model, since most pixels are near zero, which the signed normalisation puts at 0.5 in both maps.` },
        { kind: 'figure', figure: sanityFigure(sanity) },
        { kind: 'table', rows: sanityTable(sanity), caption: 'mean similarity to the trained maps' },
        ...(sanity.randomLabelModels.length
          ? [{ kind: 'table' as const, caption: 'the random-label models', rows: sanity.randomLabelModels.map((r) => ({ seed: r.seed, epochs: r.epochs, 'accuracy on its permuted training labels': `${(100 * r.trainAccuracy).toFixed(1)}%`, 'accuracy on the true validation labels': `${(100 * r.validationAccuracy).toFixed(1)}%` })) }]
          : []),
      ],
    });
  }

  const masked = readMaskedComparison(run);
  if (masked) {
    sections.push({
      id: 'masked',
      title: '4 · Does masking hair and background fix it?',
      blocks: [
        { kind: 'text', text: `The run repeated with ${masked.masking.regions.join(' and ')} painted over in the data's mean colour rgb(${masked.masking.fill.join(', ')}) — ${(100 * masked.masking.maskedShare).toFixed(0)}% of each picture on average — with the same settings, seeds and splits, explained and audited the same way. A painted region can still receive attribution: constant is not absent, and GradientSHAP multiplies by the distance from its black baseline, which is larger for the light mean colour than for dark hair.` },
        { kind: 'figure', figure: maskedComparisonFigure(masked) },
        { kind: 'table', rows: maskedComparisonTable(masked), caption: 'original run against the masked run' },
      ],
    });
  }
  return sections;
}

/** Writes <run>/report.html; returns its path and the number of figures on it. */
export function writeReport(dir: string | RunFolder, options: ReportOptions = {}): { file: string; figures: number } {
  const run = runFolder(dir);
  const sections = reportSections(run, options);
  const { html, figures } = renderReportHtml(`smile-lens report: ${path.basename(run.dir)}`, sections, `${displayPath(run.dir)} · written ${new Date().toISOString()}`);
  const file = run.reportFile;
  writeFileAtomic(file, html);
  return { file, figures };
}
