// The deletion check as curves: the class score lost when the most
// attributed pixels are replaced by the blurred image (solid), against
// replacing as many random pixels (dashed). A faithful map loses more, and
// sooner, than chance.
import type { AggregateRow } from '../audit/aggregate';
import type { Figure, ScatterTrace } from '../render/figure';
import { auditAxes } from '../pipeline/audit-tables';
import { findRow } from '../audit/aggregate';
import { methodLabel } from '../explain/registry';
import { methodColour } from './audit-shares';

export function deletionFigure(rows: readonly AggregateRow[]): Figure {
  const { methods } = auditAxes(rows);
  const fractions = [...new Set(rows.filter((r) => r.metric.startsWith('deletionDrop/attributed@')).map((r) => Number(r.metric.split('@')[1])))].sort((a, b) => a - b);
  const x = [0, ...fractions.map((f) => 100 * f)];
  const data: ScatterTrace[] = [];
  for (const m of methods) {
    const colour = methodColour(m);
    for (const order of ['attributed', 'random'] as const) {
      const y = [0, ...fractions.map((f) => findRow(rows, m, `deletionDrop/${order}@${f}`)?.summary.mean ?? NaN)];
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: `${methodLabel(m)}: ${order === 'attributed' ? 'most attributed first' : 'random pixels'}`,
        x,
        y: y.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null)),
        line: { color: colour, width: 2, dash: order === 'random' ? 'dash' : undefined },
        marker: { color: colour, size: 6 },
      });
    }
  }
  return {
    data,
    layout: {
      title: { text: 'Deletion check: class score lost as pixels are replaced by the blurred image (mean over seeds)' },
      xaxis: { title: { text: '% of pixels replaced' } },
      yaxis: { title: { text: 'drop of the explained class score (logit)' } },
      width: 820,
      height: 420,
      legend: { orientation: 'h', y: -0.22 },
    },
  };
}
