// `smile-lens retrain-masked`: experiment 4 of the bias audit — the run again
// with background and hair painted over, explained and audited the same way.
import * as path from 'path';
import type { Command, ParsedOptions } from '../command';
import { chooseBackend, describeBackend } from '../../backend/select';
import { MASKING_DEFAULTS, maskedComparisonTable, maskedFolder, maskedRetraining, MaskedComparison } from '../../pipeline/masked-retraining';

export async function retrainMaskedCommand(runDir: string, o: ParsedOptions, backendName: string): Promise<MaskedComparison> {
  const regions = (o.regions as string[] | undefined) ?? MASKING_DEFAULTS.regions;
  const c = await maskedRetraining(runDir, { backend: backendName, jobs: o.jobs as number | undefined, masking: { regions } });
  console.table(maskedComparisonTable(c));
  console.log(`masked retraining: ${maskedFolder(runDir)} (comparison.json; the run in run/, its audit in run/audit/)`);
  return c;
}

const command: Command = {
  name: 'retrain-masked',
  summary: 'train, explain and audit a run again with background and hair painted over; compare accuracy and region shares',
  options: [
    { name: 'run', kind: 'string', value: '<folder>', description: 'a run folder that has been trained, explained and audited', required: true },
    { name: 'regions', kind: 'list', value: '<names>', description: 'regions or groups painted over with the data mean colour', default: MASKING_DEFAULTS.regions },
    { name: 'jobs', kind: 'number', value: '<n>', description: 'worker processes at once (default: cores)' },
  ],
  details: 'Writes <run>/retrain-masked/{data,run,comparison.json}. Same settings, seeds and splits as the run; resumable.\nExample: smile-lens retrain-masked --run outputs/runs/synthetic-small-64px-3ep-2seeds',
  async run(o) {
    const backend = await chooseBackend(o.backend as string | undefined);
    console.log(describeBackend(backend));
    await retrainMaskedCommand(path.resolve(o.run as string), o, backend.name);
  },
};
export default command;
