// The sanity checks (Adebayo et al. 2018) as their figure 2 draws them: the
// similarity between the trained model's maps and the maps after
// randomising the layers from the top down (cumulatively), then for the
// random-label model. Left Spearman rank correlation, right SSIM; solid the
// signed maps, dashed their absolute values. A method that explains the
// network falls towards 0 as the network is destroyed.
import type { Figure, ScatterTrace } from '../render/figure';
import type { SanitySummaryFile } from '../run/files';
import { methodLabel } from '../explain/registry';
import { methodColour } from './audit-shares';

export function sanityFigure(summary: SanitySummaryFile): Figure {
  const data: ScatterTrace[] = [];
  const mean = (method: string, metric: string, stage: string) => {
    const v = summary.rows.find((r) => r.method === method && r.metric === `${metric}@${stage}` && r.class === 'all')?.summary.mean;
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  for (const m of summary.methods) {
    const colour = methodColour(m);
    for (const [metric, axis, abs] of [
      ['spearman', '1', false],
      ['spearmanAbs', '1', true],
      ['ssim', '2', false],
      ['ssimAbs', '2', true],
    ] as const) {
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: `${methodLabel(m)}${abs ? ' (absolute)' : ''}`,
        legendgroup: `${m}${abs}`,
        showlegend: axis === '1',
        x: [...summary.stages],
        y: summary.stages.map((s) => mean(m, metric, s)),
        line: { color: colour, width: 2, dash: abs ? 'dash' : undefined },
        marker: { color: colour, size: 7 },
        xaxis: axis === '1' ? 'x' : 'x2',
        yaxis: axis === '1' ? 'y' : 'y2',
      });
    }
  }
  const seeds = summary.seeds.length;
  return {
    data,
    layout: {
      title: { text: `Sanity checks: similarity to the trained model's maps as layers are randomised (mean over ${seeds} seed${seeds === 1 ? '' : 's'})` },
      grid: { rows: 1, columns: 2, pattern: 'independent' },
      xaxis: { title: { text: 'randomised from the top down to' }, type: 'category' },
      yaxis: { title: { text: 'Spearman rank correlation' }, range: [-0.2, 1.05] },
      xaxis2: { title: { text: 'randomised from the top down to' }, type: 'category' },
      yaxis2: { title: { text: 'SSIM' }, range: [-0.2, 1.05] },
      width: 980,
      height: 420,
      legend: { orientation: 'h', y: -0.3 },
    },
  };
}
