// Experiment 4 of the bias audit: the run again with hair and background painted over.
import { maskedComparisonFigure } from '../../figures/audit-masked';
import { maskedComparisonTable, readMaskedComparison } from '../../pipeline/masked-retraining';
import type { RunFolder } from '../../run/run-folder';
import type { ReportSection } from '../section';

export async function maskedRetrainingSection(run: RunFolder): Promise<ReportSection | undefined> {
  const masked = readMaskedComparison(run);
  if (!masked) return undefined;
  return {
    id: 'masked',
    title: '4 · Does masking hair and background fix it?',
    blocks: [
      {
        kind: 'text',
        text: `The run repeated with ${masked.masking.regions.join(' and ')} painted over in the data's mean colour rgb(${masked.masking.fill.join(', ')}) — ${(100 * masked.masking.maskedShare).toFixed(0)}% of each picture on average — with the same settings, seeds and splits, explained and audited the same way. A painted region can still receive attribution: constant is not absent, and a method measured against a baseline (GradientSHAP's black image) multiplies by the distance from it, which is larger for the light mean colour than for dark hair.`,
      },
      { kind: 'figure', figure: maskedComparisonFigure(masked) },
      { kind: 'table', rows: maskedComparisonTable(masked), caption: 'original run against the masked run' },
    ],
  };
}
