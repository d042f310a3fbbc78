// Learning curves over seeds: the mean per epoch with a band from the lowest
// to the highest seed (a ±1 std band would claim accuracies above 100% near
// the top and suppose a distribution five seeds cannot show), for the
// training and validation loss and accuracy, with the majority-class
// baseline drawn on the accuracy panel so "65%" is read against it.
import type { Figure, ScatterTrace } from '../render/figure';
import type { EpochRecord } from '../run/files';

type Series = 'trainLoss' | 'validationLoss' | 'trainAccuracy' | 'validationAccuracy';

/** Mean, lowest and highest value over seeds per epoch (seeds that stopped early count where they have data). */
export function epochBands(history: Record<string, EpochRecord[]>, series: Series): { epoch: number[]; mean: number[]; low: number[]; high: number[] } {
  const runs = Object.values(history);
  const epochs = Math.max(0, ...runs.map((r) => r.length));
  const out = { epoch: [] as number[], mean: [] as number[], low: [] as number[], high: [] as number[] };
  for (let e = 0; e < epochs; e++) {
    const values = runs.filter((r) => r[e]).map((r) => r[e][series]).filter((v) => Number.isFinite(v));
    out.epoch.push(e + 1);
    out.mean.push(values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
    out.low.push(values.length ? Math.min(...values) : NaN);
    out.high.push(values.length ? Math.max(...values) : NaN);
  }
  return out;
}

function band(name: string, colour: string, b: ReturnType<typeof epochBands>, axis: string, scale = 1): ScatterTrace[] {
  const upper = b.high.map((v) => v * scale);
  const lower = b.low.map((v) => v * scale);
  const [x, y] = axis === '1' ? ['x', 'y'] : [`x${axis}`, `y${axis}`];
  return [
    { type: 'scatter', mode: 'lines', x: [...b.epoch, ...[...b.epoch].reverse()], y: [...upper, ...lower.reverse()], fill: 'toself', fillcolor: `${colour}33`, line: { width: 0, color: colour }, showlegend: false, hoverinfo: 'skip', xaxis: x, yaxis: y, name: `${name}, range over seeds` } as ScatterTrace,
    { type: 'scatter', mode: 'lines+markers', x: b.epoch, y: b.mean.map((m) => m * scale), name, line: { color: colour, width: 2 }, xaxis: x, yaxis: y, legendgroup: name, showlegend: axis === '1' } as ScatterTrace,
  ];
}

export function learningCurvesFigure(history: Record<string, EpochRecord[]>, majorityAccuracy?: number): Figure {
  const seeds = Object.keys(history).length;
  const data: ScatterTrace[] = [
    ...band('training', '#1f77b4', epochBands(history, 'trainLoss'), '1'),
    ...band('validation', '#d62728', epochBands(history, 'validationLoss'), '1'),
    ...band('training', '#1f77b4', epochBands(history, 'trainAccuracy'), '2', 100),
    ...band('validation', '#d62728', epochBands(history, 'validationAccuracy'), '2', 100),
  ];
  if (majorityAccuracy !== undefined) {
    const epochs = epochBands(history, 'trainLoss').epoch;
    data.push({ type: 'scatter', mode: 'lines', x: [epochs[0] ?? 1, epochs[epochs.length - 1] ?? 1], y: [100 * majorityAccuracy, 100 * majorityAccuracy], name: 'majority-class baseline', line: { color: '#7f7f7f', dash: 'dash', width: 1.5 }, xaxis: 'x2', yaxis: 'y2' } as ScatterTrace);
  }
  return {
    data,
    layout: {
      title: { text: `Learning curves, mean and range (lowest to highest) over ${seeds} seed${seeds === 1 ? '' : 's'}` },
      grid: { rows: 1, columns: 2, pattern: 'independent' },
      xaxis: { title: { text: 'epoch' } },
      yaxis: { title: { text: 'NLL loss' } },
      xaxis2: { title: { text: 'epoch' } },
      yaxis2: { title: { text: 'accuracy (%)' } },
      width: 900,
      height: 380,
      legend: { orientation: 'h', y: -0.25 },
    },
  };
}
