// `smile-lens synth`: writes a synthetic CFD-like data set with ground-truth regions.
import * as fs from 'fs';
import * as path from 'path';
import { defineCommand, UsageError } from '../command';
import { choice, int, num, text } from '../../config/schema';
import { DEFAULT_SYNTHETIC_DIR, MANIFEST_FILE, MAX_WIDTH, SYNTHETIC_DEFAULTS } from '../../data/synthetic/options';
import { defaultExpressiveSubjects } from '../../data/synthetic/roster';
import { syntheticSetBytes } from '../../run/output-size';
import { progressCallback } from '../../progress/reporter';
import { outputFolder } from '../folders';

export default defineCommand({
  name: 'synth',
  compute: false,
  details: `
The set mirrors the CFD main set: 597 models, all neutral, 158 Black and White
models also angry, fearful, happy closed and happy open (1207 images, 49.5%
neutral). With --confound off the models with expressions come from all races.
--bias plants a hair clip or a background tint whose colour matches the
expression with probability --strength (else a random class's colour); the
same --seed with --strength 0 gives the same faces with the correlation broken.

Examples:
  smile-lens synth --out data/synthetic-cfd
  smile-lens synth --out data/bias-hair --bias hair --strength 0.8
  smile-lens synth --out data/bias-hair-broken --bias hair --strength 0`,
  options: {
    out: text({ describe: 'folder to write (replaced if it is a synthetic set)', default: path.relative(process.cwd(), DEFAULT_SYNTHETIC_DIR) || '.', placeholder: '<folder>' }),
    subjects: int({ min: 4, max: 100_000, describe: 'number of models', default: SYNTHETIC_DEFAULTS.subjects }),
    expressive: int({ min: 0, max: 100_000, describe: 'models with all expressions (default: 158/597 of --subjects)' }),
    confound: choice(['on', 'off'] as const, { describe: 'only Black and White models have expressions, as in the CFD', default: 'on' }),
    bias: choice(['none', 'hair', 'background'] as const, { describe: 'planted feature correlated with the label', default: 'none' }),
    strength: num({ min: 0, max: 1, describe: 'planted feature agrees with the label with probability p (0 none … 1 perfect)', default: 1, placeholder: '<p>' }),
    seed: int({ min: 0, max: 2 ** 31 - 1, describe: 'random seed', default: SYNTHETIC_DEFAULTS.seed }),
    width: int({ min: 32, max: MAX_WIDTH, describe: 'image width (height keeps 2444:1718)', default: SYNTHETIC_DEFAULTS.width, placeholder: '<px>' }),
  },
  prepare(o) {
    if (o.expressive !== undefined && o.expressive > o.subjects) throw new UsageError(`smile-lens synth: --expressive ${o.expressive} is more than --subjects ${o.subjects}`);
    const options = {
      seed: o.seed,
      subjects: o.subjects,
      expressiveSubjects: o.expressive ?? defaultExpressiveSubjects(o.subjects),
      confound: o.confound === 'on',
      bias: { feature: o.bias, strength: o.bias === 'none' ? 0 : o.strength },
      width: o.width,
    };
    const out = outputFolder('--out', o.out, syntheticSetBytes(options));
    const replaceable = !fs.existsSync(out) || fs.existsSync(path.join(out, MANIFEST_FILE)) || (fs.statSync(out).isDirectory() && fs.readdirSync(out).length === 0);
    if (!replaceable) throw new UsageError(`smile-lens synth: --out ${o.out}: exists and is not a synthetic data set (no ${MANIFEST_FILE}); refusing to overwrite it — choose another --out`);
    return { out, options };
  },
  async run(o, { out, options }) {
    // Loaded here: sharp is not needed to check the options.
    const { generateSyntheticCfd } = require('../../data/synthetic/generate') as typeof import('../../data/synthetic/generate');
    const started = Date.now();
    const manifest = await generateSyntheticCfd(out, options, progressCallback('drawing faces'));
    const seconds = (Date.now() - started) / 1000;
    console.log(`Wrote ${manifest.images.length} images of ${manifest.models} models (${manifest.width}×${manifest.height}) with region maps to ${out} in ${seconds.toFixed(1)} s`);
    console.log(`Inspect it with: smile-lens data --data ${JSON.stringify(path.relative(process.cwd(), out) || '.')}`);
  },
});
