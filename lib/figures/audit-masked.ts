// Masked retraining against the original run: the absolute attribution share
// per region for each method, original (light) and masked (dark) side by
// side, with the validation accuracy of both in the title.
import type { BarTrace, Figure } from '../render/figure';
import type { MaskedComparison } from '../pipeline/masked-retraining';
import { methodLabel } from '../explain/registry';
import { methodColour } from './audit-shares';

const pct = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? 100 * v : NaN);

export function maskedComparisonFigure(c: MaskedComparison): Figure {
  const data: BarTrace[] = [];
  for (const [m, regions] of Object.entries(c.original.shares)) {
    const names = Object.keys(regions);
    const colour = methodColour(m);
    for (const side of ['original', 'masked'] as const) {
      const shares = side === 'original' ? regions : c.masked.shares[m] ?? {};
      data.push({
        type: 'bar',
        name: `${methodLabel(m)}, ${side}`,
        x: names,
        y: names.map((r) => pct(shares[r]?.absolute?.mean)),
        marker: { color: colour },
        opacity: side === 'original' ? 0.45 : 1,
        hovertemplate: `${methodLabel(m)}, ${side}: %{y:.1f}% on %{x}<extra></extra>`,
      });
    }
  }
  const acc = (s: { mean: number } | undefined) => (s && Number.isFinite(s.mean) ? `${(100 * s.mean).toFixed(1)}%` : 'n/a');
  return {
    data,
    layout: {
      title: { text: `Masked ${c.masking.regions.join(' and ')}: attribution per region (accuracy ${acc(c.original.accuracy)} → ${acc(c.masked.accuracy)})` },
      barmode: 'group',
      xaxis: { title: { text: 'region' } },
      yaxis: { title: { text: '% of the absolute attribution' }, range: [0, 100] },
      width: 860,
      height: 420,
      legend: { orientation: 'h', y: -0.22 },
    },
  };
}
