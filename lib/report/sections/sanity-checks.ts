// Experiment 3 of the bias audit: the sanity checks of Adebayo et al.
import { sanityFigure } from '../../figures/audit-sanity';
import { readSanitySummary, sanityTable } from '../../pipeline/sanity-checks';
import type { RunFolder } from '../../run/run-folder';
import type { ReportSection } from '../section';

export async function sanityChecksSection(run: RunFolder): Promise<ReportSection | undefined> {
  const sanity = readSanitySummary(run);
  if (!sanity) return undefined;
  return {
    id: 'sanity',
    title: '3 · Sanity checks',
    blocks: [
      {
        kind: 'text',
        text: `Adebayo et al. (2018): the layers are re-initialised from the top (cumulatively), then a network trained on permuted labels; each map is compared with the trained network's map of the same image and class. ${sanity.options.images} validation images per seed, ${sanity.seeds.length} seed(s). A method that explains the network loses its similarity as the network is destroyed. Spearman is the sharper measure: SSIM of the signed maps stays high for any model, since most pixels are near zero, which the signed normalisation puts at 0.5 in both maps.`,
      },
      { kind: 'figure', figure: sanityFigure(sanity) },
      { kind: 'table', rows: sanityTable(sanity), caption: 'mean similarity to the trained maps' },
      ...(sanity.randomLabelModels.length
        ? [
            {
              kind: 'table' as const,
              caption: 'the random-label models',
              rows: sanity.randomLabelModels.map((r) => ({ seed: r.seed, epochs: r.epochs, 'accuracy on its permuted training labels': `${(100 * r.trainAccuracy).toFixed(1)}%`, 'accuracy on the true validation labels': `${(100 * r.validationAccuracy).toFixed(1)}%` })),
            },
          ]
        : []),
    ],
  };
}
