// `smile-lens report`: the run's results as one offline HTML page.
import * as path from 'path';
import { defineCommand } from '../command';
import { text } from '../../config/schema';
import { writeReport } from '../../report/report';
import { displayPath } from '../../run/locations';
import { RUN_OPTION } from '../run-options';

export default defineCommand({
  name: 'report',
  compute: false,
  options: {
    ...RUN_OPTION,
    'bias-sweep': text({ describe: 'a planted-bias sweep folder to include (default: the run\'s own, when present)', placeholder: '<folder>' }),
  },
  details: 'plotly.js is embedded in the page, so it opens without a network. Sections appear for the results the run folder holds.',
  async run(o) {
    const { file, figures } = await writeReport(path.resolve(o.run), { biasSweep: o['bias-sweep'] ? path.resolve(o['bias-sweep']) : undefined });
    console.log(`wrote ${displayPath(file)} (${figures} figures)`);
  },
});
