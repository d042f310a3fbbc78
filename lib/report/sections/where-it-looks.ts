// Experiment 1 of the bias audit: where the attributions fall, by region and
// expression, the face metrics, and beside every method's shares whether its
// maps are faithful at all (the deletion and insertion games).
import { faithfulnessCurveFigure, faithfulnessGapFigure } from '../../figures/audit-faithfulness';
import { expressionShareFigure, regionShareFigure } from '../../figures/audit-shares';
import { readAuditSummary } from '../../pipeline/audit-run';
import { auditAxes, auditInWords, expressionShareTable, faceMetricTable, intervalNote, regionShareTable } from '../../pipeline/audit-tables';
import { faithfulnessMethodText, faithfulnessTable, isFaithfulnessMetric, targetUnit } from '../../pipeline/audit-faithfulness';
import { displayPath } from '../../run/locations';
import type { AuditRegions } from '../../run/files';
import type { RunFolder } from '../../run/run-folder';
import type { ReportSection } from '../section';
import { maskGridBlocks } from './mask-grid';

/** The masker's warnings counted and the faces it did not find, in a sentence (none: nothing). */
function regionCaveats(regions: AuditRegions): string {
  // Audits written before the masker registry carry neither.
  const parts = (regions.warnings ?? []).map((w) => `${w.kind} on ${w.images} image(s) (e.g. ${w.examples[0].image})`);
  if (regions.notFound?.length) parts.push(`no face found on ${regions.notFound.length} image(s), left out of the shares (${regions.notFound.slice(0, 3).join(', ')}${regions.notFound.length > 3 ? ', …' : ''})`);
  return parts.length ? ` Masker warnings: ${parts.join('; ')}; \`smile-lens masks\` shows the masks.` : '';
}

export async function whereItLooksSection(run: RunFolder): Promise<ReportSection | undefined> {
  const audit = readAuditSummary(run);
  if (!audit) return undefined;
  const rows = audit.rows;
  const unit = targetUnit(audit.targets);
  const faithfulness = rows.some((r) => isFaithfulnessMetric(r.metric));
  return {
    id: 'audit',
    title: '1 · Where does the network look?',
    blocks: [
      {
        kind: 'text',
        text: `Regions: ${audit.regions.reason ?? audit.regions.kind}.${regionCaveats(audit.regions)} Shares are of the attribution mass, $\\text{share}_R = \\sum_{i \\in R} |a_i| \\big/ \\sum_i |a_i|$ (the positive share with $\\max(a_i, 0)$ in place of $|a_i|$), read against the region's share of the picture (what a uniform map would give). Mean over ${audit.seeds.length} seed(s). ${intervalNote(rows)}`,
      },
      ...maskGridBlocks(run, audit),
      ...(faithfulness ? [{ kind: 'text' as const, text: faithfulnessMethodText(audit.options, run.readConfig().experiment.size) }] : []),
      { kind: 'text', text: auditInWords(rows, unit) },
      { kind: 'figure', figure: regionShareFigure(rows, 'absoluteShare') },
      { kind: 'figure', figure: regionShareFigure(rows, 'positiveShare') },
      { kind: 'table', rows: regionShareTable(rows), caption: 'share of attribution per region, all expressions' },
      { kind: 'figure', figure: expressionShareFigure(rows, 'hair') },
      { kind: 'figure', figure: expressionShareFigure(rows, 'face') },
      { kind: 'table', rows: expressionShareTable(rows, 'hair'), caption: 'absolute attribution on the hair per expression' },
      { kind: 'table', rows: faceMetricTable(rows), caption: 'the face as the region that should hold the evidence' },
      ...(faithfulness
        ? [
            { kind: 'figure' as const, figure: faithfulnessGapFigure(rows, unit) },
            { kind: 'figure' as const, figure: faithfulnessCurveFigure(rows, unit) },
            { kind: 'table' as const, rows: faithfulnessTable(rows, auditAxes(rows).methods), caption: `faithfulness: the deletion and insertion games against random pixels (areas and gaps in ${unit}s)` },
          ]
        : []),
      { kind: 'html', html: `<p class="note">Every number: ${displayPath(run.audit.recordsCsv)}; aggregates: summary.csv and summary.json beside it.</p>` },
    ],
  };
}
