// `smile-lens synth`: writes a synthetic CFD-like data set with ground-truth regions.
import * as path from 'path';
import type { Command } from '../command';
import { generateSyntheticCfd, SYNTHETIC_DEFAULTS } from '../../data/synthetic/generate';
import { defaultExpressiveSubjects } from '../../data/synthetic/roster';
import { progressCallback } from '../../progress/reporter';
import { DEFAULT_SYNTHETIC_DIR } from '../../data/default-dataset';

function onOff(value: unknown, name: string): boolean {
  const v = String(value).toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(v)) return true;
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  throw new Error(`--${name} expects on or off, got "${value}"`);
}

const command: Command = {
  name: 'synth',
  summary: 'generate a synthetic CFD-like data set (real CFD layout and names, region masks)',
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
  options: [
    { name: 'out', kind: 'string', value: '<folder>', description: 'folder to write (replaced if it is a synthetic set)', default: path.relative(process.cwd(), DEFAULT_SYNTHETIC_DIR) || '.' },
    { name: 'subjects', kind: 'number', value: '<n>', description: 'number of models', default: SYNTHETIC_DEFAULTS.subjects },
    { name: 'expressive', kind: 'number', value: '<n>', description: 'models with all expressions (default: 158/597 of --subjects)' },
    { name: 'confound', kind: 'string', value: 'on|off', description: 'only Black and White models have expressions, as in the CFD', default: 'on' },
    { name: 'bias', kind: 'string', value: 'none|hair|background', description: 'planted feature correlated with the label', default: 'none' },
    { name: 'strength', kind: 'number', value: '<p>', description: 'planted feature agrees with the label with probability p (0 none … 1 perfect)', default: 1 },
    { name: 'seed', kind: 'number', value: '<s>', description: 'random seed', default: SYNTHETIC_DEFAULTS.seed },
    { name: 'width', kind: 'number', value: '<px>', description: 'image width (height keeps 2444:1718)', default: SYNTHETIC_DEFAULTS.width },
  ],
  async run(options) {
    const out = path.resolve(String(options.out));
    const subjects = Number(options.subjects);
    const bias = String(options.bias) as 'none' | 'hair' | 'background';
    const started = Date.now();
    const manifest = await generateSyntheticCfd(
      out,
      {
        seed: Number(options.seed),
        subjects,
        expressiveSubjects: options.expressive === undefined ? defaultExpressiveSubjects(subjects) : Number(options.expressive),
        confound: onOff(options.confound, 'confound'),
        bias: { feature: bias, strength: bias === 'none' ? 0 : Number(options.strength) },
        width: Number(options.width),
      },
      progressCallback('drawing faces'),
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`Wrote ${manifest.images.length} images of ${manifest.models} models (${manifest.width}×${manifest.height}) with region maps to ${out} in ${seconds.toFixed(1)} s`);
    console.log(`Inspect it with: smile-lens data --data ${JSON.stringify(path.relative(process.cwd(), out) || '.')}`);
  },
};
export default command;
