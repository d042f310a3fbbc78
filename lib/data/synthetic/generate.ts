// Writes a synthetic CFD-like data set: photographs in the real CFD 3.0
// layout and naming (so every later step runs the same code as on the real
// database), one region label map per photograph, the region legend, and a
// manifest of how each image was drawn. Deterministic: the same options give
// byte-identical files.
//
//   <out>/CFD Version 3.0/Images/CFD/<MODEL>/CFD-<MODEL>-<n2>-<EXPR>.jpg
//   <out>/regions/CFD Version 3.0/Images/CFD/<MODEL>/CFD-…-<EXPR>.png
//   <out>/regions.json     region ids and names
//   <out>/synthetic.json   options and, per image, intensity and planted class
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { EXPRESSIONS, Expression } from '../expressions';
import { createRandom, mixSeed, Random } from '../../util/random';
import { removeDeadTemporaries, writeFileAtomic, writeJsonAtomic } from '../../util/atomic-write';
import { formatCfdName } from '../cfd-names';
import { forEachLimited } from '../decode';
import { defaultLegend, REGIONS_FILE } from '../regions';
import type { ProgressCallback } from '../../progress/callback';
import { expressionFeatures } from './expression';
import { faceSvg, Pose } from './face-svg';
import { drawIdentity, Identity } from './identity';
import { PLANT_COLOURS, plantedClass } from './planted-bias';
import { ModelPlan, planRoster } from './roster';
import { GENERATOR_VERSION, imageHeight, MANIFEST_FILE, resolveOptions, SYNTHETIC_DEFAULTS, SyntheticOptions } from './options';
import { processAlive } from '../../util/processes';

export { GENERATOR_VERSION, imageHeight, MANIFEST_FILE, resolveOptions, SYNTHETIC_DEFAULTS };
export type { SyntheticOptions };
export const IMAGES_FOLDER = path.join('CFD Version 3.0', 'Images', 'CFD');

export interface SyntheticImageRecord {
  file: string;
  model: string;
  expression: Expression;
  intensity: number;
  /** Class whose colour the planted feature shows, when a bias is planted. */
  planted?: number;
  hairStyle: string;
  hairColour: string;
}

export interface SyntheticManifest {
  generator: { name: 'smile-lens synthetic CFD'; version: number };
  options: SyntheticOptions;
  width: number;
  height: number;
  models: number;
  images: SyntheticImageRecord[];
  plantColours?: number[][];
}

function drawPose(random: Random): Pose {
  const clip = (v: number, m: number) => Math.max(-m, Math.min(m, v));
  return {
    dx: clip(random.normal(0, 7), 18),
    dy: clip(random.normal(0, 5), 12),
    angle: clip(random.normal(0, 2.5), 6),
    scale: 1 + clip(random.normal(0, 0.035), 0.08),
    lightAngle: random.uniform(0, 2 * Math.PI),
    light: random.uniform(0, 0.22),
  };
}

/** Seeded sensor noise: one long table read at a random offset per image. */
function noiseTable(seed: number, length: number): Int8Array {
  const random = createRandom(mixSeed(seed, 99));
  const t = new Int8Array(length);
  for (let i = 0; i < length; i++) t[i] = Math.max(-127, Math.min(127, Math.round(random.normal(0, 3))));
  return t;
}

interface ImageJob {
  plan: ModelPlan;
  identity: Identity;
  expression: Expression;
  file: string;
  maskFile: string;
}

/** The draws of one image (a function of the seed and the image only) and its record. */
function planImage(job: ImageJob, o: SyntheticOptions, noise: Int8Array) {
  const e = EXPRESSIONS.indexOf(job.expression);
  const random = createRandom(mixSeed(o.seed, 2, job.plan.index, e));
  const intensity = job.expression === 'N' ? 0 : random.uniform(o.intensity[0], o.intensity[1]);
  const features = expressionFeatures(job.expression, intensity, job.identity, random);
  const pose = drawPose(random);
  const gain = random.uniform(0.92, 1.04);
  const warmth = random.normal(0, 0.007);
  const noiseAt = random.int(noise.length);
  // The planted feature has its own stream, so its strength changes nothing else.
  let planted: number | undefined;
  if (o.bias.feature !== 'none') planted = plantedClass(createRandom(mixSeed(o.seed, 3, job.plan.index, e)), e, o.bias.strength);
  const plant = planted === undefined ? undefined : { feature: o.bias.feature as 'hair' | 'background', colour: PLANT_COLOURS[planted] };
  const record: SyntheticImageRecord = {
    file: job.file,
    model: job.plan.model,
    expression: job.expression,
    intensity: Math.round(intensity * 1000) / 1000,
    planted,
    hairStyle: job.identity.hairStyle,
    hairColour: job.identity.hairColourName,
  };
  return { spec: { identity: job.identity, features, pose, plant }, gain, warmth, noiseAt, record };
}

/** Draws one image and its region map into `out` (each file written whole); returns its record. */
async function renderImage(job: ImageJob, o: SyntheticOptions, height: number, noise: Int8Array, out: string): Promise<SyntheticImageRecord> {
  const { spec, gain, warmth, noiseAt, record } = planImage(job, o, noise);
  // Drawn by an interrupted run already (the map is written after the photo).
  if (fs.existsSync(path.join(out, job.maskFile))) return record;
  const { data, info } = await sharp(Buffer.from(faceSvg(spec, 'photo', o.width, height)))
    .flatten({ background: '#ffffff' })
    .blur(0.55)
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Exposure, colour temperature and sensor noise, as in photographs.
  const gains = [gain * (1 + warmth), gain, gain * (1 - warmth)];
  const ch = info.channels;
  for (let p = 0, k = noiseAt; p < data.length; p++, k++) {
    if (k >= noise.length) k = 0;
    const v = data[p] * gains[p % ch] + noise[k];
    data[p] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: ch } })
    .jpeg({ quality: o.jpegQuality, chromaSubsampling: '4:2:0' })
    .toBuffer();
  const labels = await sharp(Buffer.from(faceSvg(spec, 'regions', o.width, height)))
    .flatten({ background: '#000000' })
    .extractChannel(0)
    .png({ compressionLevel: 6 })
    .toBuffer();
  // Whole files only, without fsync: a killed process leaves none half written,
  // and the manifest (fsync'd, last) says whether the set is complete.
  writeFileAtomic(path.join(out, job.file), jpeg, { sync: false });
  writeFileAtomic(path.join(out, job.maskFile), labels, { sync: false });
  return record;
}

function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Written first into a staging folder: the options it is being drawn with. */
const STAGING_OPTIONS_FILE = 'partial.json';

/**
 * The folder `target` is drawn in, `<target>.partial-<pid>`: the one an
 * interrupted run left with the same options, taken over (its images are
 * kept: each is a function of the seed alone), or a new one. Leftovers of
 * ended runs drawn with other options are removed; a set being drawn by a
 * live process is not touched.
 */
function stagingFolder(target: string, o: SyntheticOptions): string {
  const mine = `${target}.partial-${process.pid}`;
  const wanted = JSON.stringify({ version: GENERATOR_VERSION, options: o });
  const prefix = `${path.basename(target)}.partial-`;
  const parent = path.dirname(target);
  let adopted = false;
  for (const name of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
    const pid = Number(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !Number.isInteger(pid) || pid === process.pid) continue;
    const left = path.join(parent, name);
    if (processAlive(pid)) throw new Error(`${target}: process ${pid} is drawing this set now (${left}); wait for it or stop it first`);
    // Its options: in the options file, or (killed just before the rename) in its manifest.
    const manifest = readManifest(left);
    const options = manifest ? JSON.stringify({ version: manifest.generator.version, options: manifest.options }) : readIfThere(path.join(left, STAGING_OPTIONS_FILE));
    const same = options === wanted;
    if (same && !adopted) {
      fs.rmSync(mine, { recursive: true, force: true });
      fs.renameSync(left, mine);
      // Whole images are kept; what a killed write left is not.
      removeDeadTemporaries(mine, true);
      adopted = true;
    } else fs.rmSync(left, { recursive: true, force: true });
  }
  if (!adopted) {
    fs.rmSync(mine, { recursive: true, force: true });
    fs.mkdirSync(mine, { recursive: true });
    writeFileAtomic(path.join(mine, STAGING_OPTIONS_FILE), wanted);
  }
  return mine;
}

/**
 * Generates the set into `out`. The folder is built beside it and renamed into
 * place at the end, so an interrupted run leaves no half set, and the next
 * run with the same options resumes it (stagingFolder); an existing folder is
 * replaced only when it is itself a synthetic set.
 */
export async function generateSyntheticCfd(
  out: string,
  partial: Partial<SyntheticOptions> = {},
  onProgress?: ProgressCallback,
): Promise<SyntheticManifest> {
  const o = resolveOptions(partial);
  const target = path.resolve(out);
  if (fs.existsSync(target)) {
    const isSynthetic = fs.existsSync(path.join(target, MANIFEST_FILE));
    const empty = fs.statSync(target).isDirectory() && fs.readdirSync(target).length === 0;
    if (!isSynthetic && !empty) {
      throw new Error(`${target}: exists and is not a synthetic data set (no ${MANIFEST_FILE}); refusing to overwrite it — choose another --out`);
    }
  }
  const height = imageHeight(o.width);
  const roster = planRoster({ seed: o.seed, subjects: o.subjects, expressiveSubjects: o.expressiveSubjects, confound: o.confound });
  const jobs: ImageJob[] = [];
  for (const plan of roster) {
    const identity = drawIdentity(createRandom(mixSeed(o.seed, 1, plan.index)), plan.race, plan.gender);
    for (const expression of plan.expressions) {
      const name = formatCfdName({ race: plan.race, gender: plan.gender, n1: plan.n1, n2: plan.photos[expression]!, expression });
      const file = path.join(IMAGES_FOLDER, plan.model, name);
      jobs.push({ plan, identity, expression, file, maskFile: path.join('regions', file.replace(/\.jpg$/, '.png')) });
    }
  }

  const staging = stagingFolder(target, o);
  try {
    const noise = noiseTable(o.seed, 1 << 20);
    const records: SyntheticImageRecord[] = new Array(jobs.length);
    let done = 0;
    await forEachLimited(jobs.length, 2, async (i) => {
      records[i] = await renderImage(jobs[i], o, height, noise, staging);
      onProgress?.(++done, jobs.length);
    });
    writeJsonAtomic(path.join(staging, REGIONS_FILE), defaultLegend());
    const manifest: SyntheticManifest = {
      generator: { name: 'smile-lens synthetic CFD', version: GENERATOR_VERSION },
      options: o,
      width: o.width,
      height,
      models: roster.length,
      images: records,
      plantColours: o.bias.feature === 'none' ? undefined : PLANT_COLOURS,
    };
    writeFileAtomic(
      path.join(staging, 'README.txt'),
      'Synthetic CFD-like faces drawn by smile-lens (lib/data/synthetic). Not photographs of people.\n' +
        'Layout and file names follow the Chicago Face Database 3.0; regions/ holds one label map per image (see regions.json).\n',
    );
    fs.rmSync(path.join(staging, STAGING_OPTIONS_FILE), { force: true });
    // The manifest goes last: a folder with synthetic.json is complete.
    writeJsonAtomic(path.join(staging, MANIFEST_FILE), manifest);
    if (fs.existsSync(target)) fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
    return manifest;
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

export function readManifest(folder: string): SyntheticManifest | undefined {
  const file = path.join(folder, MANIFEST_FILE);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SyntheticManifest;
}
