// Which baseline the run's explanations were measured against, and why: the
// run's own baseline study when it has one (smile-lens baselines), else the
// measurement that chose the default of new runs (lib/config/baseline-study.ts).
// The report and notebooks 05 and 06 show it.
import { MEASURED_BASELINE, methodBaselines } from '../../config/baseline-study';
import type { Explainer } from '../../explain/explainer';
import { EXPLAINERS } from '../../explain/registry';
import { readBaselineStudy, studyInWords, studyTable } from '../../pipeline/baseline-study';
import type { RunFolder } from '../../run/run-folder';
import type { ReportBlock, ReportSection } from '../section';

/** Why a method used `baseline`, when the run has no study of its own. */
export function baselineReason(e: Pick<Explainer<any>, 'name' | 'label' | 'options'>, baseline: string): string {
  const label = e.label;
  const measured = MEASURED_BASELINE.baseline;
  if (e.name !== MEASURED_BASELINE.method) {
    const own = (e.options as Record<string, { default?: unknown }>).baseline?.default;
    return baseline === own ? `${baseline}: ${label}'s own default, not yet chosen by a baseline study (smile-lens baselines measures it)` : `${baseline}: asked for (${label}'s baseline option)`;
  }
  if (baseline === measured) return `${measured}: the default of new runs (full and small presets), chosen by the baseline study — ${MEASURED_BASELINE.measurement}`;
  if (baseline === 'black') return `black: the paper's choice (the paper preset keeps it); the measured default is ${measured} — ${MEASURED_BASELINE.measurement}`;
  return `${baseline}: asked for (${label}'s --baseline); the measured default is ${measured} — ${MEASURED_BASELINE.measurement}`;
}

export async function baselineSection(run: RunFolder): Promise<ReportSection | undefined> {
  const { experiment: cfg } = run.readConfig();
  const study = readBaselineStudy(run);
  const blocks: ReportBlock[] = [];
  for (const e of EXPLAINERS.filter((x) => methodBaselines(x).length > 0)) {
    const used = [...new Set(cfg.seeds.flatMap((s) => (run.explanations(e.name, s).readIndex() ?? []).map((x) => String(x.parameters.baseline))))];
    if (!used.length) continue;
    const best = study?.best[e.name];
    const lines = used.map((b) =>
      best
        ? `${e.label}'s maps in this run are measured against **${b}**. This run's baseline study ${b === best.baseline ? 'agrees' : `prefers **${best.baseline}**`}: ${best.why}.`
        : `${e.label}'s maps in this run are measured against **${baselineReason(e, b)}**.`,
    );
    blocks.push({ kind: 'text', text: lines.join('\n\n') });
  }
  if (study) {
    blocks.push({ kind: 'text', text: studyInWords(study) });
    blocks.push({ kind: 'table', rows: studyTable(study), caption: 'The baseline study of this run: mean over seeds (95% interval; none below three seeds).' });
  }
  return blocks.length ? { id: 'baselines', title: 'Which baseline, and why', blocks } : undefined;
}
