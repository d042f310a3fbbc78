// `smile-lens explain`: Grad-CAM and GradientSHAP maps for a trained run.
import * as path from 'path';
import type { Command, ParsedOptions } from '../command';
import { chooseBackend, describeBackend } from '../../backend/select';
import { EXPLAIN_DEFAULTS, ExplainOptions, METHODS, Method, BaselineKind, explanationFolder, explainRun } from '../../pipeline/explain-run';
import { EXPRESSIONS } from '../../data/expressions';

export const EXPLAIN_OPTIONS: Command['options'] = [
  { name: 'method', kind: 'list', value: '<gradcam,gradientshap>', description: 'which explainers', default: [...METHODS] },
  { name: 'layer', kind: 'string', value: '<name>', description: 'Grad-CAM layer (default: the last block, block3_relu)' },
  { name: 'class', kind: 'string', value: '<N|A|F|HC|HO|index>', description: 'class to explain (default: the predicted one)' },
  { name: 'images', kind: 'list', value: '<files>', description: 'images to explain (relative to the data folder, or base names; default: the validation split)' },
  { name: 'split', kind: 'string', value: '<validation>', description: 'which split to explain when --images is not given', default: 'validation' },
  { name: 'limit', kind: 'number', value: '<n>', description: 'at most n images per seed, balanced over expressions (0 = all)', default: EXPLAIN_DEFAULTS.limit },
  { name: 'samples', kind: 'number', value: '<n>', description: 'GradientSHAP samples per image', default: EXPLAIN_DEFAULTS.samples },
  { name: 'stdev', kind: 'number', value: '<σ>', description: 'GradientSHAP input noise (in normalised units)', default: EXPLAIN_DEFAULTS.stdev },
  { name: 'baseline', kind: 'string', value: '<black|blur|training>', description: 'GradientSHAP baselines', default: EXPLAIN_DEFAULTS.baseline },
  { name: 'shap-seed', kind: 'number', value: '<n>', description: 'seed of GradientSHAP\'s sampling', default: EXPLAIN_DEFAULTS.seed },
  { name: 'seeds', kind: 'list', value: '<1,2,…>', description: 'which of the run\'s seeds (default: all finished ones)' },
  { name: 'jobs', kind: 'number', value: '<n>', description: 'seeds explained at once in worker processes (default: cores)' },
];

export function explainOptions(o: ParsedOptions): ExplainOptions {
  const methods = (o.method as string[]).map((m) => m.toLowerCase().replace(/[-_ ]/g, ''));
  for (const m of methods) if (!(METHODS as readonly string[]).includes(m)) throw new Error(`--method expects gradcam or gradientshap, got "${m}"`);
  const baseline = o.baseline as string;
  if (!['black', 'blur', 'training'].includes(baseline)) throw new Error(`--baseline expects black, blur or training, got "${baseline}"`);
  if (o.split !== 'validation') throw new Error(`--split: only "validation" is kept per seed (got "${o.split}"); pass --images for others`);
  let classIndex: number | undefined;
  if (o.class !== undefined) {
    const c = String(o.class).toUpperCase();
    classIndex = (EXPRESSIONS as readonly string[]).indexOf(c);
    if (classIndex < 0) classIndex = /^\d+$/.test(c) && Number(c) < EXPRESSIONS.length ? Number(c) : NaN;
    if (Number.isNaN(classIndex)) throw new Error(`--class expects one of ${EXPRESSIONS.join(', ')} or 0–${EXPRESSIONS.length - 1}, got "${o.class}"`);
  }
  return {
    ...EXPLAIN_DEFAULTS,
    methods: methods as Method[],
    layer: o.layer as string | undefined,
    classIndex,
    images: o.images as string[] | undefined,
    limit: o.limit as number,
    samples: o.samples as number,
    stdev: o.stdev as number,
    baseline: baseline as BaselineKind,
    seed: o['shap-seed'] as number,
  };
}

/** Explains the run's seeds (all, or --seeds) and says where the maps are. */
export async function explainCommand(runDir: string, o: ParsedOptions, backendName: string): Promise<void> {
  const options = explainOptions(o);
  const seeds = o.seeds ? (o.seeds as string[]).map(Number) : undefined;
  const { seeds: done, seconds } = await explainRun(runDir, options, { backend: backendName, jobs: o.jobs as number | undefined, seeds });
  for (const s of done) for (const m of options.methods) console.log(`seed ${s} ${m}: ${explanationFolder(runDir, m, s)}`);
  console.log(`explained ${done.length} seed(s) in ${seconds.toFixed(1)} s`);
}

const command: Command = {
  name: 'explain',
  summary: 'Grad-CAM and GradientSHAP maps (.npy + JSON sidecar + PNG overlay) for a trained run',
  options: [{ name: 'run', kind: 'string', value: '<folder>', description: 'a run folder made by `smile-lens train`', required: true }, ...EXPLAIN_OPTIONS],
  details: 'Writes <run>/explanations/<method>/seed-<s>/<image>.{npy,json,png}; an interrupted run resumes.\nExample: smile-lens explain --run outputs/runs/synthetic-cfd-128px-12ep-5seeds --method gradcam --limit 20',
  async run(o) {
    const backend = await chooseBackend(o.backend as string | undefined);
    console.log(describeBackend(backend));
    await explainCommand(path.resolve(o.run as string), o, backend.name);
  },
};
export default command;
