// Where the regions of a data set's images come from, behind one interface:
//   ground-truth  the data set's own label maps (regions.json + regions/…png:
//                 the synthetic set's truth, or maps drawn by hand);
//   landmarks     the face-mesh masker (lib/regions/landmark-masker.ts);
//   colour        the old colour rules (lib/audit/cfd-regions.ts), kept to
//                 compare against.
// 'auto' takes the ground truth when the data set has region maps and the
// landmarks otherwise, and says which and why. Every mask is at the
// network's input (the data set's crop and size), pixel for pixel under the
// attribution maps.
import { cfdRegions } from '../audit/cfd-regions';
import { Dataset, imagePixels, imageRegions } from '../data/dataset';
import { RegionLegend, defaultLegend } from '../data/regions';
import { labelsAtInput } from './input-labels';
import { LANDMARK_MASKER_VERSION, LandmarkMaskerOptions, landmarkPhotoRegions } from './landmark-masker';
import { MaskWarning, WarningTally } from './mask-warnings';

import { MASKER_NAMES, MaskerChoice, MaskerName } from './masker-names';

export { MASKER_NAMES, MaskerChoice, MaskerName };

export interface ImageMask {
  /** False when the masker could not place the face: no label map, and the image is left out. */
  found: boolean;
  /** size×size region ids at the network's input (UNLABELLED where no region applies). */
  labels?: Uint8Array;
  warnings: MaskWarning[];
}

export interface Masker {
  name: MaskerName;
  /** What it is, for printing beside its results. */
  description: string;
  /** Changes when the same image would get other labels (keys the label-map cache). */
  version: string;
  /** Regions it tells apart (the partition regions plus the face's parts it places). */
  regions: readonly string[];
  /** Why it cannot run on this data set, or undefined when it can. */
  unavailable(dataset: Dataset): string | undefined;
  /** The legend whose ids its labels use. */
  legend(dataset: Dataset): RegionLegend;
  mask(dataset: Dataset, i: number): Promise<ImageMask>;
}

const ALL_REGIONS = ['background', 'hair', 'face', 'shirt', 'neck and ears', 'mouth', 'eyes', 'brows'] as const;

export const groundTruthMasker: Masker = {
  name: 'ground-truth',
  description: "the data set's own region label maps",
  version: 'maps',
  regions: ALL_REGIONS,
  unavailable: (d) => (d.masks && d.legend ? undefined : `${d.root} has no region label maps (regions.json and its folder)`),
  legend: (d) => d.legend ?? defaultLegend(),
  async mask(d, i) {
    const labels = imageRegions(d, i);
    if (!labels) throw new Error(`${d.root}: no region label maps loaded`);
    return { found: true, labels: labels.slice(), warnings: [] };
  },
};

export function landmarkMasker(options: Partial<LandmarkMaskerOptions> = {}): Masker {
  const { detector: _detector, ...settings } = options;
  return {
    name: 'landmarks',
    description: 'face-mesh landmarks (@vladmandic/human) with per-image colour models',
    version: `${LANDMARK_MASKER_VERSION} ${JSON.stringify(settings)}`,
    regions: ALL_REGIONS,
    unavailable: () => undefined,
    legend: () => defaultLegend(),
    async mask(d, i) {
      const r = await landmarkPhotoRegions(d.items[i].path, { ...options, regions: { legend: defaultLegend(), ...options.regions } }, { size: d.size, crop: d.crop });
      if (!r.found || !r.labels) return { found: false, warnings: r.warnings };
      return { found: true, labels: labelsAtInput(r.labels, r.work, r.original, d.crop, d.size), warnings: r.warnings };
    },
  };
}

export const colourMasker: Masker = {
  name: 'colour',
  description: 'colour rules (skin chroma box, backdrop, grey shirt; no face parts)',
  version: '1',
  regions: ['background', 'hair', 'face', 'shirt'],
  unavailable: () => undefined,
  legend: () => defaultLegend(),
  async mask(d, i) {
    const r = cfdRegions(imagePixels(d, i), { height: d.size, width: d.size });
    // Its warnings are sentences; the words before the first ':' or '(' name the kind.
    const warnings = r.warnings.map((message) => ({ kind: message.split(/[:(]/)[0].trim(), message }));
    return r.faceBox ? { found: true, labels: r.labels, warnings } : { found: false, warnings };
  },
};

export function masker(name: MaskerName, options: { landmarks?: Partial<LandmarkMaskerOptions> } = {}): Masker {
  if (name === 'ground-truth') return groundTruthMasker;
  if (name === 'landmarks') return landmarkMasker(options.landmarks);
  if (name === 'colour') return colourMasker;
  throw new Error(`unknown masker '${name as string}'; expected one of ${MASKER_NAMES.join(', ')} or auto`);
}

/** The masker to use and why, in words to print and to write into every audit file. */
export function chooseMasker(dataset: Dataset, choice: MaskerChoice = 'auto', options: { landmarks?: Partial<LandmarkMaskerOptions> } = {}): { masker: Masker; reason: string } {
  if (choice !== 'auto') {
    const m = masker(choice, options);
    const why = m.unavailable(dataset);
    if (why) throw new Error(`--regions ${choice}: ${why}`);
    return { masker: m, reason: `${choice} (asked for): ${m.description}` };
  }
  if (!groundTruthMasker.unavailable(dataset)) return { masker: groundTruthMasker, reason: `ground-truth (automatic: the data set has region label maps)` };
  const m = masker('landmarks', options);
  return { masker: m, reason: `landmarks (automatic: the data set has no region label maps): ${m.description}` };
}

export interface DatasetMasks {
  masker: MaskerName;
  legend: RegionLegend;
  /** Per dataset image (in the order asked for): the labels, or undefined when the face was not found. */
  labels: (Uint8Array | undefined)[];
  /** Images whose face the masker could not find: left out of the shares. */
  notFound: string[];
  warnings: WarningTally;
  seconds: number;
}

/** Masks of some (default all) images of a data set, with the warnings counted per kind. */
export async function maskDataset(dataset: Dataset, m: Masker, options: { indices?: number[]; onProgress?: (done: number, total: number) => void } = {}): Promise<DatasetMasks> {
  const started = Date.now();
  const why = m.unavailable(dataset);
  if (why) throw new Error(`masker ${m.name}: ${why}`);
  const indices = options.indices ?? dataset.items.map((_, i) => i);
  const warnings = new WarningTally();
  const labels: (Uint8Array | undefined)[] = [];
  const notFound: string[] = [];
  for (const i of indices) {
    const r = await m.mask(dataset, i);
    warnings.add(dataset.items[i].file, r.warnings);
    labels.push(r.found ? r.labels : undefined);
    if (!r.found) notFound.push(dataset.items[i].file);
    options.onProgress?.(labels.length, indices.length);
  }
  return { masker: m.name, legend: m.legend(dataset), labels, notFound, warnings, seconds: (Date.now() - started) / 1000 };
}
