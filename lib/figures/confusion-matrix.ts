// The confusion matrix as a heat map: rows are the true expression, columns
// the predicted one; cells show row-normalised shares (recall on the
// diagonal) with the counts in the hover text, summed over seeds.
import type { Figure } from '../render/figure';

export function sumConfusions(confusions: number[][][]): number[][] {
  if (confusions.length === 0) return [];
  return confusions[0].map((row, i) => row.map((_, j) => confusions.reduce((s, m) => s + m[i][j], 0)));
}

export function confusionFigure(confusion: number[][], classes: readonly string[], title = 'Confusion matrix (validation)'): Figure {
  const shares = confusion.map((row) => {
    const n = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (n ? v / n : 0));
  });
  return {
    data: [
      {
        type: 'heatmap',
        z: shares,
        x: [...classes],
        y: [...classes],
        zmin: 0,
        zmax: 1,
        colorscale: 'Viridis',
        text: confusion.map((row, i) => row.map((v, j) => `${v} (${(100 * shares[i][j]).toFixed(0)}%)`)),
        texttemplate: '%{text}',
        hovertemplate: 'true %{y}, predicted %{x}: %{text}<extra></extra>',
        colorbar: { title: { text: 'share of row' } },
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'predicted' }, side: 'bottom' },
      yaxis: { title: { text: 'true' }, autorange: 'reversed' },
      width: 520,
      height: 460,
    },
  };
}
