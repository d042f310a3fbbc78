// `smile-lens sanity`: experiment 3 of the bias audit — the sanity checks of
// Adebayo et al. (cascading layer randomisation, random-label model).
import * as path from 'path';
import type { Command, ParsedOptions } from '../command';
import { chooseBackend, describeBackend } from '../../backend/select';
import { METHODS, Method } from '../../pipeline/explain-run';
import { SANITY_DEFAULTS, SanityOptions, sanityFolder, sanityRun, sanityTable, SanitySummaryFile } from '../../pipeline/sanity-checks';

export const SANITY_OPTIONS: Command['options'] = [
  { name: 'methods', kind: 'list', value: '<gradcam,gradientshap>', description: 'which explainers to check', default: [...METHODS] },
  { name: 'images', kind: 'number', value: '<n>', description: 'validation images per seed (balanced over expressions)', default: SANITY_DEFAULTS.images },
  { name: 'samples', kind: 'number', value: '<n>', description: 'GradientSHAP samples per image', default: SANITY_DEFAULTS.samples },
  { name: 'random-labels', kind: 'boolean', description: 'also train and compare a model on permuted labels (--no-random-labels to skip)', default: true },
  { name: 'random-label-epochs', kind: 'number', value: '<n>', description: 'epochs of the random-label model (default: the run\'s)' },
  { name: 'seeds', kind: 'list', value: '<1,2,…>', description: 'which of the run\'s seeds (default: all finished ones)' },
  { name: 'jobs', kind: 'number', value: '<n>', description: 'seeds checked at once in worker processes (default: cores)' },
];

export function sanityOptions(o: ParsedOptions): SanityOptions {
  const methods = ((o.methods as string[] | undefined) ?? [...METHODS]).map((m) => m.toLowerCase().replace(/[-_ ]/g, ''));
  for (const m of methods) if (!(METHODS as readonly string[]).includes(m)) throw new Error(`--methods expects gradcam and/or gradientshap, got "${m}"`);
  const images = (o.images as number | undefined) ?? SANITY_DEFAULTS.images;
  if (!Number.isInteger(images) || images < 1) throw new Error(`--images expects a whole number ≥ 1, got ${images}`);
  const samples = (o.samples as number | undefined) ?? SANITY_DEFAULTS.samples;
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`--samples expects a whole number ≥ 1, got ${samples}`);
  const epochs = o['random-label-epochs'] as number | undefined;
  if (epochs !== undefined && (!Number.isInteger(epochs) || epochs < 1)) throw new Error(`--random-label-epochs expects a whole number ≥ 1, got ${epochs}`);
  return { ...SANITY_DEFAULTS, methods: methods as Method[], images, samples, randomLabels: o['random-labels'] !== false, randomLabelEpochs: epochs };
}

export async function sanityCommand(runDir: string, o: ParsedOptions, backendName: string): Promise<SanitySummaryFile> {
  const seeds = o.seeds ? (o.seeds as string[]).map(Number) : undefined;
  const { summary } = await sanityRun(runDir, sanityOptions(o), { backend: backendName, jobs: o.jobs as number | undefined, seeds });
  console.table(sanityTable(summary));
  for (const r of summary.randomLabelModels) {
    console.log(`random-label model, seed ${r.seed}: ${r.epochs} epochs, ${(100 * r.trainAccuracy).toFixed(1)}% on its permuted training labels, ${(100 * r.validationAccuracy).toFixed(1)}% on the true validation labels`);
  }
  console.log(`sanity checks: ${sanityFolder(runDir)} (records.csv, summary.csv and .json)`);
  return summary;
}

const command: Command = {
  name: 'sanity',
  summary: 'sanity checks of the explanations (Adebayo et al.): cascading layer randomisation and a random-label model',
  options: [{ name: 'run', kind: 'string', value: '<folder>', description: 'a trained run folder', required: true }, ...SANITY_OPTIONS],
  details: 'Writes <run>/sanity/records.csv|json and summary.csv|json: Spearman and SSIM between the trained maps and the\nrandomised ones, per randomised layer. Resumable per seed.\nExample: smile-lens sanity --run outputs/runs/synthetic-small-64px-3ep-2seeds --images 8',
  async run(o) {
    const backend = await chooseBackend(o.backend as string | undefined);
    console.log(describeBackend(backend));
    await sanityCommand(path.resolve(o.run as string), o, backend.name);
  },
};
export default command;
