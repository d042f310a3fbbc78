// What this machine runs the notebooks with: versions, cores, memory, and the
// configuration size — the facts every result should be read against.
import * as os from 'os';
import * as path from 'path';
import { projectRoot } from '../run/locations';

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** The small configuration (CI, tests) or the full one (published results). */
export function configurationSize(): 'small' | 'full' {
  return process.env.SMILE_LENS_SMALL === '1' ? 'small' : 'full';
}

export interface EnvironmentRow {
  item: string;
  value: string;
}

export function environmentReport(): EnvironmentRow[] {
  const sharp = require('sharp') as { versions: Record<string, string> };
  const cpus = os.cpus();
  return [
    { item: 'node', value: process.version },
    { item: '@tensorflow/tfjs', value: packageVersion('@tensorflow/tfjs') },
    { item: '@tensorflow/tfjs-backend-wasm', value: packageVersion('@tensorflow/tfjs-backend-wasm') },
    { item: 'tslab', value: packageVersion('tslab') },
    { item: 'sharp (libvips)', value: `${packageVersion('sharp')} (${sharp.versions.vips})` },
    { item: 'danfojs-node', value: packageVersion('danfojs-node') },
    { item: 'plotly.js-dist-min', value: packageVersion('plotly.js-dist-min') },
    { item: 'platform', value: `${os.platform()} ${os.arch()} (${os.release()})` },
    { item: 'cores', value: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}` },
    { item: 'memory', value: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB` },
    { item: 'configuration', value: `${configurationSize()} (SMILE_LENS_SMALL=${process.env.SMILE_LENS_SMALL ?? ''})` },
    { item: 'working directory', value: path.relative(projectRoot(), process.cwd()) || '. (repository root)' },
  ];
}
