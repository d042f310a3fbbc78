// `smile-lens report`: the run's results as one offline HTML page.
import * as path from 'path';
import type { Command } from '../command';
import { writeReport } from '../../pipeline/report';

const command: Command = {
  name: 'report',
  summary: 'write <run>/report.html: training, example explanations and the bias audit, viewable offline',
  options: [
    { name: 'run', kind: 'string', value: '<folder>', description: 'a run folder', required: true },
    { name: 'bias-sweep', kind: 'string', value: '<folder>', description: 'a planted-bias sweep folder to include (default: <run>/bias-sweep when present)' },
  ],
  details: 'plotly.js is embedded in the page, so it opens without a network. Sections appear for the results the run folder holds.',
  async run(o) {
    const { file, figures } = writeReport(path.resolve(o.run as string), { biasSweep: o['bias-sweep'] ? path.resolve(o['bias-sweep'] as string) : undefined });
    console.log(`wrote ${file} (${figures} figures)`);
  },
};
export default command;
