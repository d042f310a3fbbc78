// Where the attribution goes, drawn against where it would go by chance: per
// region, one bar per method for its share of the attribution mass and a
// grey bar for the region's share of the picture (a uniform map's share).
// Bars are means over seeds; error bars the 95% interval (asymmetric: a
// bootstrap interval stays inside 0–100%; none below three seeds).
import type { AggregateRow } from '../audit/aggregate';
import { ALL_CLASSES } from '../audit/aggregate';
import type { BarTrace, Figure, ScatterTrace } from '../render/figure';
import { EXPRESSIONS } from '../data/expressions';
import { UNLABELLED_NAME } from '../data/regions';
import { auditAxes } from '../pipeline/audit-tables';
import { findRow } from '../audit/aggregate';
import { explainerNames, methodLabel } from '../explain/registry';
import { errorBarText, intervalErrorBars } from './interval-bars';

/** One colour per method, by its place in the registry (so a method keeps its colour across figures). */
const PALETTE = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
export const AREA_COLOUR = '#9e9e9e';
export function methodColour(method: string): string {
  const k = explainerNames().indexOf(method);
  return k < 0 ? '#7f7f7f' : PALETTE[k % PALETTE.length];
}

function percent(row: AggregateRow | undefined): number {
  const m = row?.summary.mean;
  return typeof m === 'number' && Number.isFinite(m) ? 100 * m : NaN;
}

export type ShareKind = 'absoluteShare' | 'positiveShare';
const KIND_TEXT: Record<ShareKind, string> = { absoluteShare: 'absolute', positiveShare: 'positive' };

/** Share of attribution per region (the partition: background, hair, face, shirt, neck and ears), methods side by side with the area. */
/** One method's bars (mean in %, 95% interval as error bars) over `x`. */
function methodBars(method: string, x: string[], found: (AggregateRow | undefined)[], hover: string): BarTrace {
  return {
    type: 'bar',
    name: methodLabel(method),
    x,
    y: found.map(percent),
    marker: { color: methodColour(method) },
    error_y: intervalErrorBars(found.map((r) => r?.summary), 100),
    hovertemplate: `${methodLabel(method)}, %{x}: ${hover}<extra></extra>`,
  };
}

export function regionShareFigure(rows: readonly AggregateRow[], kind: ShareKind = 'absoluteShare', cls: string = ALL_CLASSES): Figure {
  const { methods, regions } = auditAxes(rows);
  // The face parts are inside 'face', and the unlabelled pixels are none with ground-truth masks: left out unless they are some.
  const shown = regions.filter((r) => !['mouth', 'eyes', 'brows'].includes(r) && (r !== UNLABELLED_NAME || percent(findRow(rows, methods[0], `area/${UNLABELLED_NAME}`, cls)) > 0.05));
  const data: BarTrace[] = methods.map((m) => {
    const found = shown.map((r) => findRow(rows, m, `${kind}/${r}`, cls));
    return methodBars(m, shown, found, `%{y:.1f}% of the ${KIND_TEXT[kind]} attribution`);
  });
  const areas = shown.map((r) => findRow(rows, methods[0], `area/${r}`, cls));
  data.push({ type: 'bar', name: 'area share (uniform map)', x: shown, y: areas.map(percent), marker: { color: AREA_COLOUR }, hovertemplate: '%{x} covers %{y:.1f}% of the picture<extra></extra>' });
  const seeds = findRow(rows, methods[0], `${kind}/face`, cls)?.seeds ?? 0;
  return {
    data,
    layout: {
      title: { text: `Share of the ${KIND_TEXT[kind]} attribution per region${cls === ALL_CLASSES ? '' : ` (${cls})`}, mean over ${seeds} seed${seeds === 1 ? '' : 's'} (${errorBarText(seeds)})` },
      barmode: 'group',
      xaxis: { title: { text: 'region' } },
      yaxis: { title: { text: '% of attribution mass / % of picture' }, range: [0, 100] },
      width: 820,
      height: 420,
      legend: { orientation: 'h', y: -0.22 },
    },
  };
}

/** One region's absolute share per expression, a bar per method, the region's area as markers. */
export function expressionShareFigure(rows: readonly AggregateRow[], region: string): Figure {
  const { methods } = auditAxes(rows);
  const classes = [...EXPRESSIONS, ALL_CLASSES].filter((c) => findRow(rows, methods[0], `area/${region}`, c));
  const data: (BarTrace | ScatterTrace)[] = methods.map((m) => {
    const found = classes.map((c) => findRow(rows, m, `absoluteShare/${region}`, c));
    return methodBars(m, classes, found, `%{y:.1f}% on ${region}`);
  });
  data.push({
    type: 'scatter',
    mode: 'markers',
    name: `${region} area share`,
    x: classes,
    y: classes.map((c) => percent(findRow(rows, methods[0], `area/${region}`, c))),
    marker: { color: '#000000', size: 10, symbol: 'diamond' },
  });
  const seeds = findRow(rows, methods[0], `absoluteShare/${region}`)?.seeds ?? 0;
  return {
    data,
    layout: {
      title: { text: `Absolute attribution on ${region}, per expression (mean over ${seeds} seed${seeds === 1 ? '' : 's'}; ${errorBarText(seeds)})` },
      barmode: 'group',
      xaxis: { title: { text: 'expression (true class)' }, type: 'category' },
      yaxis: { title: { text: `% of attribution on ${region}` } },
      width: 760,
      height: 400,
      legend: { orientation: 'h', y: -0.22 },
    },
  };
}
