// The data set a fresh clone uses when no CFD is present: the synthetic
// CFD-like set with the default options, generated once under data/.
import * as fs from 'fs';
import { generateSyntheticCfd, GENERATOR_VERSION, readManifest, resolveOptions, SyntheticOptions } from './synthetic/generate';
import type { ProgressCallback } from '../progress/callback';
import { DEFAULT_SYNTHETIC_DIR } from './synthetic/options';

export { DEFAULT_SYNTHETIC_DIR };

/** Whether `folder` holds a complete synthetic set drawn with exactly these options by this generator. */
export function syntheticUpToDate(folder: string, options: Partial<SyntheticOptions> = {}): boolean {
  const manifest = readManifest(folder);
  return !!manifest && manifest.generator.version === GENERATOR_VERSION && JSON.stringify(manifest.options) === JSON.stringify(resolveOptions(options));
}

/**
 * A synthetic set with the given options in `folder`: generated when missing,
 * drawn with other options, or made by another generator version.
 */
export async function ensureSyntheticDataset(folder: string, options: Partial<SyntheticOptions> = {}, onProgress?: ProgressCallback): Promise<{ folder: string; generated: boolean }> {
  if (syntheticUpToDate(folder, options)) return { folder, generated: false };
  if (fs.existsSync(folder) && !readManifest(folder) && fs.readdirSync(folder).length > 0) {
    throw new Error(`${folder}: exists but is not a synthetic data set; move it away to let smile-lens generate one there`);
  }
  await generateSyntheticCfd(folder, options, onProgress);
  return { folder, generated: true };
}

/** The default synthetic set's folder (data/synthetic-cfd), generated first if needed (≈ 40–60 s). */
export async function ensureDefaultDataset(onProgress?: ProgressCallback): Promise<string> {
  return (await ensureSyntheticDataset(DEFAULT_SYNTHETIC_DIR, {}, onProgress)).folder;
}
