// `smile-lens masks`: a data set's region maps, where people can see them
// (label image and colour overlay per image, areas and warnings printed), and
// with --quality how well the automatic maskers match a set's ground truth.
import * as fs from 'fs';
import * as path from 'path';
import { defineCommand, UsageError } from '../command';
import { bool, int, text } from '../../config/schema';
import { AUDIT_FIELDS } from '../../config/audit';
import { EXPERIMENT_FIELDS } from '../../config/experiment';
import { DEFAULT_SYNTHETIC_DIR } from '../../data/synthetic/options';
import { displayPath, outputsRoot } from '../../run/locations';
import { progressCallback } from '../../progress/reporter';
import { existingFolder, outputFolder } from '../folders';

export default defineCommand({
  name: 'masks',
  details: `
Writes <stem>.labels.png (8-bit, pixel value = region id: the format of a data
set's own maps, so a corrected one can serve as ground truth) and
<stem>.overlay.png (the network's input with the regions in colour) per image,
and masks.json (masker, reason, areas, warnings). Prints the area of each region
(mean, least, largest, and how many images have less than 3% of it), every
masker warning counted with example images, and the images whose face was not
found (left out, never guessed).

--quality instead scores the automatic maskers against the data set's own maps
(the synthetic set, or a folder with hand-drawn label images and regions.json):
per-region IoU, landmarks and colour rules side by side (or the --regions one).

Examples:
  smile-lens masks --data data/cfd --limit 24
  smile-lens masks --data data/synthetic-cfd --quality --limit 100`,
  options: {
    data: text({ describe: 'the data folder', default: path.relative(process.cwd(), DEFAULT_SYNTHETIC_DIR) || '.', placeholder: '<folder>' }),
    out: text({ describe: 'folder for the pictures (default: outputs/masks/<data folder>-<size>px-<masker>)', placeholder: '<folder>' }),
    limit: int({ min: 0, max: 1_000_000, describe: 'the first n images (0 = all)', default: 0 }),
    regions: AUDIT_FIELDS.regions,
    size: EXPERIMENT_FIELDS.size,
    crop: EXPERIMENT_FIELDS.crop,
    quality: bool({ describe: 'score the maskers against the data set\'s own region maps (IoU per region) instead of writing pictures' }),
  },
  prepare(o) {
    const data = existingFolder('--data', o.data);
    if (o.quality && o.regions === 'ground-truth') throw new UsageError('smile-lens masks: --quality scores a masker against the ground truth; choose --regions landmarks, colour or auto (both)');
    if (o.quality) return { data, out: undefined };
    const out = o.out ?? path.join(outputsRoot(), 'masks', `${path.basename(data)}-${o.size}px-${o.regions}`);
    const images = o.limit || 2000;
    return { data, out: outputFolder('--out', out, images * o.size * o.size * 4) };
  },
  async run(o, { data, out }) {
    // Loaded here: the options are checked without sharp or the landmark model.
    const { loadDataset } = require('../../data/dataset') as typeof import('../../data/dataset');
    const { chooseMasker, masker } = require('../../regions/maskers') as typeof import('../../regions/maskers');
    const dataset = await loadDataset(data, { size: o.size, crop: o.crop, table: false, onProgress: progressCallback('decoding') });
    const indices = dataset.items.map((_, i) => i).slice(0, o.limit || undefined);
    if (o.quality) {
      const { formatQualityTable, maskQuality } = require('../../regions/mask-quality') as typeof import('../../regions/mask-quality');
      const { groundTruthMasker } = require('../../regions/maskers') as typeof import('../../regions/maskers');
      const missing = groundTruthMasker.unavailable(dataset);
      if (missing) throw new UsageError(`smile-lens masks --quality: --data ${o.data}: ${missing}; the synthetic set has them (smile-lens synth), or draw label images by hand`);
      const names = o.regions === 'auto' ? (['landmarks', 'colour'] as const) : [o.regions as 'landmarks' | 'colour'];
      const results = [];
      for (const name of names) results.push(await maskQuality(dataset, masker(name), { indices, onProgress: progressCallback(`masking (${name})`) }));
      console.log(`${indices.length} images of ${displayPath(data)} at ${o.size}×${o.size} (crop ${o.crop})`);
      for (const line of formatQualityTable(results)) console.log(line);
      return;
    }
    const { formatMaskSummary, writeMaskFolder } = require('../../regions/mask-folder') as typeof import('../../regions/mask-folder');
    let choice;
    try {
      choice = chooseMasker(dataset, o.regions);
    } catch (e) {
      throw new UsageError(`smile-lens masks: --data ${o.data}: ${(e as Error).message}`);
    }
    console.log(`regions: ${choice.reason}`);
    fs.mkdirSync(out!, { recursive: true });
    const summary = await writeMaskFolder(dataset, choice.masker, choice.reason, out!, { indices, onProgress: progressCallback('masking') });
    const where = displayPath(out!);
    for (const line of formatMaskSummary(summary, where).slice(1)) console.log(line);
    console.log(`\nwrote ${summary.masked} label images and overlays and masks.json to ${where}`);
  },
});
