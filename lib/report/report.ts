// The report of a run: one offline page with what the run found, section by
// section in this order — each section built by its experiment's builder
// (sections/*.ts, also what notebook 06 shows) and present when its results
// are in the run folder (or a sweep folder given).
import * as path from 'path';
import { writeFileAtomic } from '../util/atomic-write';
import { displayPath } from '../run/locations';
import { RunFolder, runFolder, SweepFolder } from '../run/run-folder';
import { renderReportHtml } from './html';
import type { ReportSection } from './section';
import { runSettingsSection } from './sections/run-settings';
import { trainingSection } from './sections/training';
import { examplesSection } from './sections/examples';
import { baselineSection } from './sections/baselines';
import { whereItLooksSection } from './sections/where-it-looks';
import { plantedBiasSection } from './sections/planted-bias';
import { sanityChecksSection } from './sections/sanity-checks';
import { maskedRetrainingSection } from './sections/masked-retraining';

export interface ReportOptions {
  /** A planted-bias sweep folder (default: the run's own, when it has a result). */
  biasSweep?: string | SweepFolder;
  /** Example overlays per method (one per expression, from the first seed). */
  examples?: number;
}

const SECTIONS: ((run: RunFolder, options: ReportOptions) => Promise<ReportSection | undefined>)[] = [
  runSettingsSection,
  trainingSection,
  examplesSection,
  baselineSection,
  whereItLooksSection,
  (run, o) => plantedBiasSection(typeof o.biasSweep === 'string' ? new SweepFolder(o.biasSweep) : (o.biasSweep ?? run.biasSweep)),
  sanityChecksSection,
  maskedRetrainingSection,
];

/** The report's sections from whatever the run folder holds. */
export async function reportSections(dir: string | RunFolder, options: ReportOptions = {}): Promise<ReportSection[]> {
  const run = runFolder(dir);
  const out: ReportSection[] = [];
  for (const build of SECTIONS) {
    const section = await build(run, options);
    if (section) out.push(section);
  }
  return out;
}

/** Writes the run's report page; returns its path and the number of figures on it. */
export async function writeReport(dir: string | RunFolder, options: ReportOptions = {}): Promise<{ file: string; figures: number }> {
  const run = runFolder(dir);
  const sections = await reportSections(run, options);
  const { html, figures } = renderReportHtml(`smile-lens report: ${path.basename(run.dir)}`, sections, `${displayPath(run.dir)} · written ${new Date().toISOString()}`);
  writeFileAtomic(run.reportFile, html);
  return { file: run.reportFile, figures };
}
