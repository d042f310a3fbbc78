// The planted-bias sweep: accuracy against the strength p of the planted
// correlation (on the held-out subjects with the bias present, and with it
// broken), and the feature region's share of the attribution against p for
// each method. If the explainers find the bias, the share rises with p.
import type { Figure, ScatterTrace } from '../render/figure';
import type { BiasSweepResult } from '../pipeline/planted-bias-sweep';
import { methodLabel } from '../explain/registry';
import type { Interval } from '../util/interval';
import { AREA_COLOUR, methodColour } from './audit-shares';
import { errorBarText, intervalErrorBars } from './interval-bars';

const pct = (s: Interval | undefined) => (s && typeof s.mean === 'number' && Number.isFinite(s.mean) ? 100 * s.mean : null);

export function sweepAccuracyFigure(r: BiasSweepResult): Figure {
  const x = r.points.map((p) => p.strength);
  const line = (name: string, values: (Interval | undefined)[], colour: string, dash?: string): ScatterTrace => ({
    type: 'scatter',
    mode: 'lines+markers',
    name,
    x,
    y: values.map(pct),
    error_y: intervalErrorBars(values, 100, colour),
    line: { color: colour, width: 2, dash },
    marker: { color: colour, size: 8 },
  });
  return {
    data: [
      line('accuracy, bias present (validation drawn with p)', r.points.map((p) => p.accuracy.biased), '#2ca02c'),
      line('accuracy, correlation broken (same photos, p = 0)', r.points.map((p) => p.accuracy.broken), '#9467bd', 'dash'),
      line('predictions naming the planted colour\'s class (broken set)', r.points.map((p) => p.followsPlant), '#ff7f0e', 'dot'),
    ],
    layout: {
      title: { text: `Planted ${r.config.feature} bias: accuracy on held-out subjects against its strength p (${errorBarText(r.config.experiment.seeds.length)})` },
      xaxis: { title: { text: 'strength p of the planted correlation' }, range: [-0.05, 1.05] },
      yaxis: { title: { text: '%' }, range: [0, 100] },
      width: 820,
      height: 420,
      legend: { orientation: 'h', y: -0.25 },
    },
  };
}

export function sweepShareFigure(r: BiasSweepResult): Figure {
  const x = r.points.map((p) => p.strength);
  const data: ScatterTrace[] = [];
  for (const m of r.config.methods) {
    const colour = methodColour(m);
    for (const kind of ['absolute', 'positive'] as const) {
      const values = r.points.map((p) => p.shares[m]?.[kind]);
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: `${methodLabel(m)} (${kind})`,
        x,
        y: values.map(pct),
        error_y: { ...intervalErrorBars(values, 100, colour), visible: kind === 'absolute' },
        line: { color: colour, width: 2, dash: kind === 'positive' ? 'dash' : undefined },
        marker: { color: colour, size: 8 },
      });
    }
  }
  data.push({ type: 'scatter', mode: 'lines', name: `${r.region} area share (uniform map)`, x, y: r.points.map((p) => pct(p.area)), line: { color: AREA_COLOUR, width: 2, dash: 'dot' } });
  return {
    data,
    layout: {
      title: { text: `Planted ${r.config.feature} bias: share of the attribution on ${r.region} against p (${errorBarText(r.config.experiment.seeds.length)})` },
      xaxis: { title: { text: 'strength p of the planted correlation' }, range: [-0.05, 1.05] },
      yaxis: { title: { text: `% of attribution on ${r.region}` }, rangemode: 'tozero' },
      width: 820,
      height: 420,
      legend: { orientation: 'h', y: -0.25 },
    },
  };
}
