// `smile-lens report`: the run's results as one offline HTML page.
import { defineCommand } from '../command';
import { text } from '../../config/schema';
import { displayPath } from '../../run/locations';
import { existingFolder, outputFolder, runFolderOption } from '../folders';
import { RUN_OPTION } from '../run-options';

export default defineCommand({
  name: 'report',
  compute: false,
  options: {
    ...RUN_OPTION,
    'bias-sweep': text({ describe: 'a planted-bias sweep folder to include (default: the run\'s own, when present)', placeholder: '<folder>' }),
  },
  details: 'plotly.js is embedded in the page, so it opens without a network. Sections appear for the results the run folder holds.',
  prepare(o) {
    const run = runFolderOption(o.run);
    const biasSweep = o['bias-sweep'] ? existingFolder('--bias-sweep', o['bias-sweep']) : undefined;
    outputFolder('--run', run.dir, 20e6);
    return { run: run.dir, biasSweep };
  },
  async run(_o, { run, biasSweep }) {
    const { writeReport } = require('../../report/report') as typeof import('../../report/report');
    const { file, figures } = await writeReport(run, { biasSweep });
    console.log(`wrote ${displayPath(file)} (${figures} figures)`);
  },
});
