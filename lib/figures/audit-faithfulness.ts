// The faithfulness check as pictures: each method's gap to random pixels in
// the deletion and insertion games, per fill (bars with 95% intervals; a bar
// at or below 0 is a map no better than random), and the curves themselves
// (the explained score as pixels are deleted or inserted, most attributed
// first, solid, against random pixels, dashed).
import type { AggregateRow } from '../audit/aggregate';
import { findRow } from '../audit/aggregate';
import { GAMES } from '../audit/deletion-insertion';
import type { BarTrace, Figure, ScatterTrace } from '../render/figure';
import { methodLabel } from '../explain/registry';
import { ALL_FILLS, auditedFills, gapMetric } from '../pipeline/audit-faithfulness';
import { auditAxes } from '../pipeline/audit-tables';
import { INTERVAL_METHOD_TEXT, MIN_SEEDS_FOR_INTERVAL } from '../util/interval';
import { intervalErrorBars } from './interval-bars';
import { methodColour } from './audit-shares';

const colourOf = methodColour;
const value = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const fillLabel = (f: string) => (f === ALL_FILLS ? 'mean over fills' : f);

/** Gap to random per method and fill, deletion left, insertion right. */
export function faithfulnessGapFigure(rows: readonly AggregateRow[], unit = 'logit'): Figure {
  const { methods } = auditAxes(rows);
  const fills = [...auditedFills(rows), ALL_FILLS];
  const data: BarTrace[] = [];
  GAMES.forEach((game, g) => {
    for (const m of methods) {
      const found = fills.map((f) => findRow(rows, m, gapMetric(game, f)));
      data.push({
        type: 'bar',
        name: methodLabel(m),
        legendgroup: m,
        showlegend: g === 0,
        x: fills.map(fillLabel),
        y: found.map((r) => value(r?.summary.mean)) as number[],
        marker: { color: colourOf(m) },
        error_y: intervalErrorBars(found.map((r) => r?.summary)),
        hovertemplate: `${methodLabel(m)}, ${game}, %{x}: gap %{y:.3f} ${unit}<extra></extra>`,
        xaxis: g === 0 ? 'x' : 'x2',
        yaxis: g === 0 ? 'y' : 'y2',
      });
    }
  });
  const seeds = findRow(rows, methods[0], gapMetric('deletion', ALL_FILLS))?.seeds ?? 0;
  const bars = seeds >= MIN_SEEDS_FOR_INTERVAL ? `95% CI, ${INTERVAL_METHOD_TEXT['student-t']}` : INTERVAL_METHOD_TEXT['too-few-seeds'];
  return {
    data,
    layout: {
      title: { text: `Faithfulness: how far each map beats random pixels (> 0 better; mean over ${seeds} seed${seeds === 1 ? '' : 's'}, ${bars})` },
      grid: { rows: 1, columns: 2, pattern: 'independent' },
      barmode: 'group',
      xaxis: { title: { text: 'deletion: pixels replaced by' } },
      yaxis: { title: { text: `AUC(random) − AUC(map), ${unit}` }, zeroline: true },
      xaxis2: { title: { text: 'insertion: starting from' } },
      yaxis2: { title: { text: `AUC(map) − AUC(random), ${unit}` }, zeroline: true },
      width: 980,
      height: 420,
      legend: { orientation: 'h', y: -0.25 },
    },
  };
}

/** The curves: a row per game, a column per fill; the score (mean over seeds) against the % of pixels deleted or inserted. */
export function faithfulnessCurveFigure(rows: readonly AggregateRow[], unit = 'logit'): Figure {
  const { methods } = auditAxes(rows);
  const fills = auditedFills(rows);
  const prefix = `deletion/${fills[0]}/attributed@`;
  const fractions = [...new Set(rows.filter((r) => r.metric.startsWith(prefix)).map((r) => Number(r.metric.slice(prefix.length))))].sort((a, b) => a - b);
  const x = [0, ...fractions.map((f) => 100 * f)];
  const data: ScatterTrace[] = [];
  const axes: Record<string, unknown> = {};
  GAMES.forEach((game, g) => {
    fills.forEach((fill, k) => {
      const n = g * fills.length + k + 1;
      const suffix = n === 1 ? '' : String(n);
      axes[`xaxis${suffix}`] = { title: { text: g === GAMES.length - 1 ? `% of pixels ${game === 'deletion' ? 'deleted' : 'inserted'}` : '' } };
      axes[`yaxis${suffix}`] = { title: { text: k === 0 ? `${game}: ${unit}` : '' } };
      const start = (m: string) => value(findRow(rows, m, game === 'deletion' ? 'faithfulness/originalScore' : `fill/${fill}/score`)?.summary.mean);
      methods.forEach((m, i) => {
        for (const order of ['attributed', 'random'] as const) {
          // The random control is the same for every method of a photo: drawn once.
          if (order === 'random' && i > 0) continue;
          const colour = order === 'random' ? '#7f7f7f' : colourOf(m);
          data.push({
            type: 'scatter',
            mode: 'lines+markers',
            name: order === 'random' ? 'random pixels' : methodLabel(m),
            legendgroup: order === 'random' ? 'random' : m,
            showlegend: n === 1,
            x,
            y: [start(m), ...fractions.map((f) => value(findRow(rows, m, `${game}/${fill}/${order}@${f}`)?.summary.mean))],
            line: { color: colour, width: 2, dash: order === 'random' ? 'dash' : undefined },
            marker: { color: colour, size: 5 },
            xaxis: `x${suffix}`,
            yaxis: `y${suffix}`,
          });
        }
      });
    });
  });
  return {
    data,
    layout: {
      title: { text: `Deletion (top) and insertion (bottom) with each fill (${fills.join(', ')}): the explained score, most attributed pixels first against random pixels (mean over seeds)` },
      grid: { rows: GAMES.length, columns: fills.length, pattern: 'independent' },
      ...axes,
      width: 980,
      height: 560,
      legend: { orientation: 'h', y: -0.15 },
    },
  };
}
