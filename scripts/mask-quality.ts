// Per-region IoU of the automatic maskers against a data set's ground truth,
// side by side, with the time per image and the warnings (phase 2 makes this
// a `smile-lens` command). Usage:
//   npx tsx scripts/mask-quality.ts --data <folder with regions.json> [--maskers landmarks,colour] [--limit n] [--size px]
import { chooseBackend } from '../lib/backend/select';
import { loadDataset } from '../lib/data/dataset';
import { MASKER_NAMES, MaskerName, masker } from '../lib/regions/maskers';
import { MaskQuality, maskQuality } from '../lib/regions/mask-quality';
import { landmarkDetector } from '../lib/regions/face-landmarks';

function arg(name: string, fallback?: string): string | undefined {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 ? process.argv[k + 1] : fallback;
}

async function main() {
  const data = arg('data');
  if (!data) throw new Error('--data <folder>: expected a data set folder with regions.json');
  const names = arg('maskers', 'landmarks,colour')!.split(',') as MaskerName[];
  for (const n of names) if (!MASKER_NAMES.includes(n) || n === 'ground-truth') throw new Error(`--maskers: expected landmarks and/or colour, got ${n}`);
  const limit = Number(arg('limit', 'Infinity'));
  const size = Number(arg('size', '128'));
  const choice = await chooseBackend();
  console.log(`backend ${choice.name}`);
  const dataset = await loadDataset(data, { size, table: false, cacheDir: false });
  const indices = dataset.items.map((_, i) => i).slice(0, limit);
  if (names.includes('landmarks')) console.log(`landmark model loaded in ${(await landmarkDetector()).loadSeconds.toFixed(2)} s`);
  const results: MaskQuality[] = [];
  for (const n of names) {
    const q = await maskQuality(dataset, masker(n), { indices, onProgress: (d, t) => process.stderr.write(`\r${n} ${d}/${t}`) });
    process.stderr.write('\n');
    results.push(q);
  }
  const pct = (v: number) => (Number.isNaN(v) ? '   –  ' : (100 * v).toFixed(1).padStart(6));
  console.log(`\nIoU (%) on ${indices.length} images of ${data} at ${size}×${size}: pooled over images / mean per image`);
  console.log(`${'region'.padEnd(14)}${results.map((r) => r.masker.padStart(17)).join('')}`);
  for (let k = 0; k < results[0].rows.length; k++) {
    console.log(`${results[0].rows[k].region.padEnd(14)}${results.map((r) => `${pct(r.rows[k].pooled)} / ${pct(r.rows[k].mean)}`.padStart(17)).join('')}`);
  }
  for (const r of results) {
    console.log(`${r.masker}: scored ${r.scored}, face not found ${r.notFound.length}, ${(1000 * r.secondsPerImage).toFixed(0)} ms/image`);
    for (const w of r.warnings) console.log(`  warning ${w.kind}: ${w.images} image(s), e.g. ${w.examples[0].image}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
