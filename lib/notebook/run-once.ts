// Executes a notebook at most once per process for a given environment, so
// tests that need the same executed notebook (the notebook test, the export
// page test) share one run: executing a notebook costs seconds to minutes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { executeNotebook, ExecuteOptions, ExecuteResult } from './jupyter';

const runs = new Map<string, Promise<ExecuteResult>>();
let workDir: string | undefined;

/** One temporary folder per process for the executed copies, removed at exit. */
function work(): string {
  if (!workDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-executed-'));
    workDir = dir;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return workDir;
}

export function executeOnce(input: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const key = JSON.stringify([path.resolve(input), options.env ?? {}]);
  let run = runs.get(key);
  if (!run) {
    const output = options.output ?? path.join(work(), `${runs.size}-${path.basename(input)}`);
    run = executeNotebook(input, { ...options, output });
    runs.set(key, run);
  }
  return run;
}

/** The environment of the small configuration, as the tests run notebooks. */
export const SMALL_ENV: NodeJS.ProcessEnv = { SMILE_LENS_SMALL: '1' };
