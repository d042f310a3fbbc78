// The stages of a run, each called with the one typed RunConfig (built by
// lib/config/run-config.ts from the command line or a notebook) and a stage
// context (who runs the work, where messages go). The main job, the
// commands and the notebooks all call these; nothing converts a
// configuration back into command-line options.
import * as fs from 'fs';
import * as path from 'path';
import type { RunConfig } from '../config/run-config';
import { MANIFEST_FILE } from '../data/synthetic/options';
import { syntheticSetBytes, trainingBytes } from '../run/output-size';
import { outputFolderProblem } from '../util/output-folder';
import { ensureSyntheticDataset } from '../data/default-dataset';
import type { ProgressCallback } from '../progress/callback';
import { progressCallback } from '../progress/reporter';
import type { MetricsFile } from '../run/files';
import { RunFolder } from '../run/run-folder';
import { removeDeadTemporaries } from '../util/atomic-write';
import { auditRun, AuditResult } from './audit-run';
import { explainRun } from './explain-run';
import { maskedRetraining, maskedTraining, MaskedComparison } from './masked-retraining';
import { biasSweep, BiasSweepResult } from './planted-bias-sweep';
import { baselineStudy } from './baseline-study';
import type { BaselineStudyFile } from '../run/files';
import { writeReport } from '../report/report';
import { sanityRun } from './sanity-checks';
import type { StageContext } from './stage-context';
import { prepareTraining, trainRun } from './train-run';
import type { SanitySummaryFile } from '../run/files';

const swept = new Set<string>();

/** The run's folder; the first time in a process, without the temporary files of processes killed while writing. */
export function runOf(config: RunConfig): RunFolder {
  if (!swept.has(config.runDir)) {
    removeDeadTemporaries(config.runDir, true);
    swept.add(config.runDir);
  }
  return new RunFolder(config.runDir);
}

/** The data the run reads: the synthetic set generated when it is missing (or drawn with other options); a user's folder as it is. */
/** A folder a stage is about to create, checked as the command line checks it (notebooks call stages directly). */
function writable(dir: string, bytes: number): void {
  const problem = outputFolderProblem(dir, bytes);
  if (problem) throw new Error(problem);
}

export async function ensureData(config: RunConfig, onProgress: ProgressCallback = progressCallback('generating the synthetic data set')): Promise<{ folder: string; generated: boolean; seconds: number }> {
  const started = Date.now();
  const folder = config.experiment.data;
  if (!config.synthetic) return { folder, generated: false, seconds: 0 };
  if (!fs.existsSync(path.join(folder, MANIFEST_FILE))) writable(folder, syntheticSetBytes(config.synthetic));
  const made = await ensureSyntheticDataset(folder, config.synthetic, onProgress);
  return { ...made, seconds: (Date.now() - started) / 1000 };
}

export async function train(config: RunConfig, ctx: Partial<StageContext> = {}): Promise<MetricsFile> {
  writable(config.runDir, trainingBytes(config.experiment));
  return trainRun(config.experiment, runOf(config), ctx);
}

/** The run folder's settings and every seed's split (training does this first too); what stages beside training read. */
export async function prepare(config: RunConfig): Promise<void> {
  await prepareTraining(config.experiment, runOf(config));
}

export async function explain(config: RunConfig, ctx: Partial<StageContext> & { seeds?: number[] } = {}): Promise<{ seeds: number[]; seconds: number }> {
  return explainRun(runOf(config), config.explain, ctx);
}

export async function audit(config: RunConfig, ctx: Partial<StageContext> & { seeds?: number[] } = {}): Promise<AuditResult> {
  return auditRun(runOf(config), config.audit, ctx);
}

/** The planted-bias sweep kept inside the run folder. */
export async function plantedBiasSweep(config: RunConfig, ctx: Partial<StageContext> = {}): Promise<BiasSweepResult> {
  return biasSweep(config.biasSweep, runOf(config).biasSweep, ctx);
}

/** The baseline study of the run (and of its planted-bias sweep, when it has one). */
export async function studyBaselines(config: RunConfig, ctx: Partial<StageContext> & { seeds?: number[] } = {}): Promise<BaselineStudyFile> {
  return baselineStudy(runOf(config), config, ctx);
}

/** The sanity checks of the run's first `config.sanity.seeds` seeds. */
export async function sanity(config: RunConfig, ctx: Partial<StageContext> = {}): Promise<{ summary: SanitySummaryFile }> {
  return sanityRun(runOf(config), config.sanity, { ...ctx, seeds: config.experiment.seeds.slice(0, config.sanity.seeds) });
}

/** Experiment 4's first half: the masked data and the run trained on it (the rest resumes from there). */
export async function trainMasked(config: RunConfig, ctx: Partial<StageContext> = {}): Promise<void> {
  await maskedTraining(runOf(config), { masking: config.masking, regions: config.audit.regions }, ctx);
}

export async function retrainMasked(config: RunConfig, ctx: Partial<StageContext> = {}): Promise<MaskedComparison> {
  return maskedRetraining(runOf(config), { masking: config.masking, regions: config.audit.regions }, ctx);
}

export async function report(config: RunConfig): Promise<{ file: string; figures: number }> {
  return writeReport(runOf(config));
}
