// The opening of every notebook, in one call: the run configuration (the
// small preset under SMILE_LENS_SMALL=1, another data folder under
// SMILE_LENS_DATA), the backend chosen and named, the data generated when
// missing, and where the run's files are, as paths relative to the project.
import { chooseBackend, describeBackend, BackendChoice } from '../backend/select';
import { RunConfig, runConfig, RunConfigOverrides } from '../config/run-config';
import { ensureData } from '../pipeline/stages';
import { progressCallback } from '../progress/reporter';
import { displayPath } from '../run/locations';
import { RunFolder } from '../run/run-folder';

export interface NotebookSession {
  config: RunConfig;
  run: RunFolder;
  backend?: BackendChoice;
}

export interface OpenOptions extends RunConfigOverrides {
  /** Choose (and name) a compute backend; notebooks that only look at data skip it. Default true. */
  backend?: boolean;
}

export async function openNotebook(options: OpenOptions = {}): Promise<NotebookSession> {
  const { backend: wantBackend = true, ...overrides } = options;
  const config = runConfig({ data: process.env.SMILE_LENS_DATA, ...overrides });
  let backend: BackendChoice | undefined;
  if (wantBackend) {
    backend = await chooseBackend();
    console.log(describeBackend(backend));
  }
  const data = await ensureData(config, progressCallback('generating the synthetic set'));
  console.log(`configuration: ${config.preset}; data: ${displayPath(data.folder)}${data.generated ? ' (generated now)' : ''}; run folder: ${displayPath(config.runDir)}`);
  return { config, run: new RunFolder(config.runDir), backend };
}
