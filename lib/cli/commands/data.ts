// `smile-lens data`: what a data folder holds, and what cannot be used.
import { defineCommand } from '../command';
import { bool, text } from '../../config/schema';
import { loadCatalog } from '../../data/catalog';
import { formatCatalogSummary, summariseCatalog } from '../../data/summary';
import { loadDataset } from '../../data/dataset';
import { progressCallback } from '../../progress/reporter';
import { DEFAULT_SYNTHETIC_DIR } from '../../data/synthetic/options';

export default defineCommand({
  name: 'data',
  compute: false,
  details: `
Reads the Chicago Face Database as unzipped (CFD 2.0.3 or 3.0 layout, or a
flat folder of CFD-named files) or a synthetic set. Exits with 1 when nothing
usable is found. --decode also decodes every image (cached) to find corrupt ones.`,
  options: {
    data: text({ describe: 'the data folder', default: DEFAULT_SYNTHETIC_DIR, placeholder: '<folder>' }),
    norming: text({ describe: 'CSV export of the CFD norming sheet (default: found in the folder)', placeholder: '<file.csv>' }),
    decode: bool({ describe: 'decode every image at 128×128 to catch corrupt files' }),
  },
  async run(options) {
    const folder = options.data;
    const normingCsv = options.norming;
    let catalog;
    let skippedExtra: { file: string; reason: string }[] = [];
    if (options.decode) {
      const dataset = await loadDataset(folder, { table: false, normingCsv, onProgress: progressCallback('decoding') });
      catalog = { ...dataset.catalog, items: dataset.items, skipped: dataset.skipped };
      skippedExtra = dataset.skipped.filter((s) => !dataset.catalog.skipped.includes(s));
      console.error(`decoded ${dataset.items.length} images in ${dataset.seconds.toFixed(1)} s (${dataset.cache.hit ? 'from cache' : 'cache written'})`);
    } else {
      catalog = await loadCatalog(folder, { table: false, normingCsv, onProgress: progressCallback('reading') });
    }
    const summary = summariseCatalog(catalog);
    console.log(formatCatalogSummary(catalog, summary));
    if (skippedExtra.length) console.log(`(${skippedExtra.length} of the skipped files failed only when decoded)`);
    if (summary.images === 0) {
      throw new Error(`${catalog.root}: no usable CFD images (${catalog.skipped.length} skipped, ${catalog.ignored.length} other files); see the reasons above and data/README.md`);
    }
  },
});
