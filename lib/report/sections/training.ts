// Training: the result in words, the per-seed table, learning curves and the confusion matrix.
import { confusionFigure, sumConfusions } from '../../figures/confusion-matrix';
import { learningCurvesFigure } from '../../figures/learning-curves';
import type { RunFolder } from '../../run/run-folder';
import { resultInWords, seedTable } from '../../train/seed-table';
import type { ReportSection } from '../section';

export async function trainingSection(run: RunFolder): Promise<ReportSection | undefined> {
  if (!run.hasMetrics()) return undefined;
  const metrics = run.readMetrics();
  const finished = metrics.seeds.filter((s) => s.validation);
  return {
    id: 'training',
    title: 'Training',
    blocks: [
      { kind: 'text', text: resultInWords(metrics) },
      { kind: 'table', rows: seedTable(metrics), caption: 'validation figures per seed' },
      { kind: 'figure', figure: learningCurvesFigure(run.readHistory(), metrics.baselineSummary.majorityAccuracy.mean) },
      ...(finished.length ? [{ kind: 'figure' as const, figure: confusionFigure(sumConfusions(finished.map((s) => s.validation!.confusion)), metrics.classes, 'Confusion matrix (validation, summed over seeds)') }] : []),
    ],
  };
}
