// The one module that knows a run folder's layout. Every stage, command and
// notebook finds a run's files through these classes; no file name of a run
// is spelled anywhere else.
//
//   <run>/config.json                     RunConfigFile
//   <run>/history.json, metrics.json      per-epoch figures; per-seed metrics and summary
//   <run>/report.html                     the offline report
//   <run>/seed-<s>/                       SeedFolder: split, checkpoints, final model, result
//   <run>/explanations/<method>/seed-<s>/ ExplanationFolder: <image>.{npy,json,png}, index.json
//   <run>/audit/                          RecordsFolder: seed-<s>.json, records.csv|json, summary.csv|json
//   <run>/sanity/                         the same, plus random-labels/seed-<s>/ (SeedFolders)
//   <run>/bias-sweep/                     SweepFolder: p-<p>/ (RunFolders), sweep.json, sweep.csv
//   <run>/retrain-masked/                 MaskedFolder: data/ (a data set), run/ (a RunFolder), comparison.json
//   <run>/masks/                          region masks as pictures
//   <run>/slurm/                          SlurmFolder: the Slurm executor's scripts, unit lists, logs, progress, submissions.json
//   <run>/baseline-study/                 BaselineStudyFolder: seed-<s>.json, p-<p>-seed-<s>.json, study.json, study.csv
import * as fs from 'fs';
import * as path from 'path';
import { AuditRecord, writeCsv, writeJson } from '../audit/aggregate';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../util/atomic-write';
import type {
  AuditSummaryFile,
  BaselineStudyFile,
  BaselineStudySeedFile,
  CheckpointPointer,
  ExplanationSidecar,
  HistoryFile,
  MetricsFile,
  RunConfigFile,
  SanitySummaryFile,
  SeedAuditFile,
  SeedResult,
  SeedSanityFile,
  SeedSplit,
  SlurmSubmissionRecord,
} from './files';

function readIfThere<T>(file: string, what: string): T | undefined {
  return fs.existsSync(file) ? readJson<T>(file, what) : undefined;
}

/** One seed's folder: its split, checkpoints, final model (TensorFlow.js layers format) and result. */
export class SeedFolder {
  readonly dir: string;
  constructor(dir: string, readonly seed: number) {
    this.dir = path.resolve(dir);
  }
  /** The final model's folder (model.json + weights.bin, lib/model/model-files.ts). */
  get modelDir(): string {
    return this.dir;
  }
  get splitFile(): string {
    return path.join(this.dir, 'split.json');
  }
  readSplit(): SeedSplit {
    return readJson<SeedSplit>(this.splitFile, 'a seed split');
  }
  writeSplit(split: SeedSplit): void {
    writeJsonAtomic(this.splitFile, split);
  }
  get resultFile(): string {
    return path.join(this.dir, 'result.json');
  }
  /** The finished seed's result; undefined while it is not done. */
  readResult(): SeedResult | undefined {
    return readIfThere<SeedResult>(this.resultFile, 'a seed result');
  }
  writeResult(result: SeedResult): void {
    writeJsonAtomic(this.resultFile, result);
  }
  /** Done and not diverged. */
  isTrained(): boolean {
    return this.readResult()?.status === 'done';
  }
  get checkpointFile(): string {
    return path.join(this.dir, 'checkpoint.json');
  }
  readCheckpoint(): CheckpointPointer | undefined {
    return readIfThere<CheckpointPointer>(this.checkpointFile, 'a checkpoint pointer');
  }
  writeCheckpoint(pointer: CheckpointPointer): void {
    writeJsonAtomic(this.checkpointFile, pointer);
  }
  /** Name (relative to the seed folder) of the checkpoint after `epoch`. */
  checkpointName(epoch: number): string {
    return `checkpoint-epoch-${epoch}`;
  }
  /** Checkpoint folders other than `keep` (superseded once `keep` is complete). */
  staleCheckpoints(keep: string): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).filter((n) => n.startsWith('checkpoint-epoch-') && n !== keep).map((n) => path.join(this.dir, n));
  }
  /** The optimizer's state beside a checkpoint's model. */
  optimizerFiles(checkpoint: string): { weights: string; specs: string } {
    const dir = path.join(this.dir, checkpoint);
    return { weights: path.join(dir, 'optimizer.bin'), specs: path.join(dir, 'optimizer.json') };
  }
  /** Removes everything (a model trained for other settings). */
  clear(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One method's explanations of one seed. */
export class ExplanationFolder {
  readonly dir: string;
  constructor(dir: string, readonly method: string, readonly seed: number) {
    this.dir = path.resolve(dir);
  }
  /** File names for one image, by the image's base name without extension. */
  files(stem: string): { sidecar: string; npy: string; png: string } {
    return { sidecar: `${stem}.json`, npy: `${stem}.npy`, png: `${stem}.png` };
  }
  file(name: string): string {
    return path.join(this.dir, name);
  }
  readSidecar(stem: string): ExplanationSidecar | undefined {
    return readIfThere<ExplanationSidecar>(this.file(this.files(stem).sidecar), 'an explanation sidecar');
  }
  /** The sidecar last: its presence means the image is done. */
  writeSidecar(stem: string, sidecar: ExplanationSidecar): void {
    writeJsonAtomic(this.file(this.files(stem).sidecar), sidecar);
  }
  writeFile(name: string, data: string | Uint8Array): void {
    writeFileAtomic(this.file(name), data);
  }
  get indexFile(): string {
    return path.join(this.dir, 'index.json');
  }
  /** Every sidecar of a finished explanation, or undefined while unfinished. */
  readIndex(): ExplanationSidecar[] | undefined {
    return readIfThere<ExplanationSidecar[]>(this.indexFile, 'an explanation index');
  }
  writeIndex(sidecars: ExplanationSidecar[]): void {
    writeJsonAtomic(this.indexFile, sidecars);
  }
}

/** A stage that writes one records file per seed, then every record and their aggregates (the audit, the sanity checks). */
export class RecordsFolder<S, T> {
  readonly dir: string;
  constructor(dir: string, private readonly what: string) {
    this.dir = path.resolve(dir);
  }
  seedFile(seed: number): string {
    return path.join(this.dir, `seed-${seed}.json`);
  }
  readSeed(seed: number): S | undefined {
    return readIfThere<S>(this.seedFile(seed), `a seed's ${this.what}`);
  }
  writeSeed(seed: number, value: S): void {
    writeJsonAtomic(this.seedFile(seed), value);
  }
  get recordsCsv(): string {
    return path.join(this.dir, 'records.csv');
  }
  get summaryCsv(): string {
    return path.join(this.dir, 'summary.csv');
  }
  get summaryFile(): string {
    return path.join(this.dir, 'summary.json');
  }
  readSummary(): T | undefined {
    return readIfThere<T>(this.summaryFile, `a ${this.what} summary`);
  }
  /** records.csv|json (the CSV with these columns), summary.csv (the table) and summary.json. */
  writeTables(records: AuditRecord[], columns: readonly string[], summary: T, summaryTable: Record<string, unknown>[]): void {
    writeCsv(this.recordsCsv, records, columns);
    writeJson(path.join(this.dir, 'records.json'), records);
    writeCsv(this.summaryCsv, summaryTable);
    writeJson(this.summaryFile, summary);
  }
}

export class SanityFolder extends RecordsFolder<SeedSanityFile, SanitySummaryFile> {
  constructor(dir: string) {
    super(dir, 'sanity checks');
  }
  /** The model trained on permuted labels for a seed. */
  randomLabels(seed: number): SeedFolder {
    return new SeedFolder(path.join(this.dir, 'random-labels', `seed-${seed}`), seed);
  }
}

/**
 * What the Slurm executor keeps beside the results of a run (or a sweep):
 *   slurm/submissions.json        every sbatch of this folder, oldest first (SlurmSubmissionRecord)
 *   slurm/scripts/<id>.sbatch     the job script as submitted
 *   slurm/jobs/<id>.json          the units of a job array (the worker reads unit i)
 *   slurm/logs/                   each task's stdout, stderr and exit status (lib/executor/slurm/batch-script.ts names them)
 *   slurm/progress/<id>-<i>.jsonl unit i's progress messages, one JSON line each
 * <id> is "<sequence>-<what>", e.g. 003-train-seed.
 */
export class SlurmFolder {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }
  /** The run (or sweep) folder it belongs to. */
  get owner(): string {
    return path.dirname(this.dir);
  }
  get submissionsFile(): string {
    return path.join(this.dir, 'submissions.json');
  }
  readSubmissions(): SlurmSubmissionRecord[] {
    return readIfThere<SlurmSubmissionRecord[]>(this.submissionsFile, 'a list of Slurm submissions') ?? [];
  }
  /** Appends one submission (one driver at a time writes here: the executor refuses a second while jobs are live). */
  addSubmission(record: SlurmSubmissionRecord): void {
    writeJsonAtomic(this.submissionsFile, [...this.readSubmissions(), record]);
  }
  /** A fresh id for the next submission: "<sequence>-<what>". */
  nextId(what: string): string {
    return `${String(this.readSubmissions().length + 1).padStart(3, '0')}-${what}`;
  }
  scriptFile(id: string): string {
    return path.join(this.dir, 'scripts', `${id}.sbatch`);
  }
  jobsFile(id: string): string {
    return path.join(this.dir, 'jobs', `${id}.json`);
  }
  get logDir(): string {
    return path.join(this.dir, 'logs');
  }
  progressFile(id: string, unit: number): string {
    return path.join(this.dir, 'progress', `${id}-${unit}.jsonl`);
  }
}

/** The Slurm folder of a run folder or a sweep folder. */
export function slurmFolderOf(dir: string): SlurmFolder {
  return new SlurmFolder(path.join(path.resolve(dir), 'slurm'));
}

/** A planted-bias sweep: one run folder per strength and the sweep's result. */
export class SweepFolder {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }
  strength(p: number): RunFolder {
    return new RunFolder(path.join(this.dir, `p-${p.toFixed(2)}`));
  }
  /** The strengths that have a run folder here, in increasing order. */
  strengths(): number[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .map((n) => /^p-(\d+\.\d+)$/.exec(n))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => Number(m[1]))
      .filter((p) => this.strength(p).hasConfig())
      .sort((a, b) => a - b);
  }
  get slurm(): SlurmFolder {
    return slurmFolderOf(this.dir);
  }
  get resultFile(): string {
    return path.join(this.dir, 'sweep.json');
  }
  get csvFile(): string {
    return path.join(this.dir, 'sweep.csv');
  }
  readResult<R>(): R | undefined {
    return readIfThere<R>(this.resultFile, 'a bias-sweep result');
  }
}

/** The baseline study: one file per seed measured (the run's, and the planted-bias runs'), and the study. */
export class BaselineStudyFolder {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }
  seedFile(seed: number, strength?: number): string {
    return path.join(this.dir, `${strength === undefined ? '' : `p-${strength.toFixed(2)}-`}seed-${seed}.json`);
  }
  readSeed(seed: number, strength?: number): BaselineStudySeedFile | undefined {
    return readIfThere<BaselineStudySeedFile>(this.seedFile(seed, strength), "a seed's baseline study");
  }
  writeSeed(file: BaselineStudySeedFile): void {
    writeJsonAtomic(this.seedFile(file.seed, file.strength), file);
  }
  get studyFile(): string {
    return path.join(this.dir, 'study.json');
  }
  get studyCsv(): string {
    return path.join(this.dir, 'study.csv');
  }
  readStudy(): BaselineStudyFile | undefined {
    return readIfThere<BaselineStudyFile>(this.studyFile, 'a baseline study');
  }
  writeStudy(study: BaselineStudyFile, table: Record<string, unknown>[]): void {
    writeJsonAtomic(this.studyFile, study);
    writeCsv(this.studyCsv, table);
  }
}

/** Masked retraining: the masked copy of the data, a run on it, and the comparison. */
export class MaskedFolder {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }
  /** The masked data set (written in the CFD layout, with its label maps). */
  get data(): string {
    return path.join(this.dir, 'data');
  }
  /** The masked data set's manifest, written last (its presence marks the copy complete). */
  get manifestFile(): string {
    return path.join(this.data, 'masked.json');
  }
  get run(): RunFolder {
    return new RunFolder(path.join(this.dir, 'run'));
  }
  get comparisonFile(): string {
    return path.join(this.dir, 'comparison.json');
  }
  readComparison<C>(): C | undefined {
    return readIfThere<C>(this.comparisonFile, 'a masked-retraining comparison');
  }
}

export class RunFolder {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }
  get configFile(): string {
    return path.join(this.dir, 'config.json');
  }
  hasConfig(): boolean {
    return fs.existsSync(this.configFile);
  }
  readConfig(): RunConfigFile {
    return readJson<RunConfigFile>(this.configFile, 'a run configuration (is this a run folder made by `smile-lens train`?)');
  }
  writeConfig(config: RunConfigFile): void {
    writeJsonAtomic(this.configFile, config);
  }
  seed(seed: number): SeedFolder {
    return new SeedFolder(path.join(this.dir, `seed-${seed}`), seed);
  }
  get historyFile(): string {
    return path.join(this.dir, 'history.json');
  }
  readHistory(): HistoryFile {
    return readJson<HistoryFile>(this.historyFile, "a run's training history");
  }
  writeHistory(history: HistoryFile): void {
    writeJsonAtomic(this.historyFile, history);
  }
  get metricsFile(): string {
    return path.join(this.dir, 'metrics.json');
  }
  readMetrics(): MetricsFile {
    return readJson<MetricsFile>(this.metricsFile, "a run's metrics (has it been trained?)");
  }
  hasMetrics(): boolean {
    return fs.existsSync(this.metricsFile);
  }
  writeMetrics(metrics: MetricsFile): void {
    writeJsonAtomic(this.metricsFile, metrics);
  }
  get reportFile(): string {
    return path.join(this.dir, 'report.html');
  }
  /** Per completeness method and seed: how exact the maps are (lib/pipeline/completeness.ts). */
  get completenessCsv(): string {
    return path.join(this.dir, 'explanations', 'completeness.csv');
  }
  explanations(method: string, seed: number): ExplanationFolder {
    return new ExplanationFolder(path.join(this.dir, 'explanations', method, `seed-${seed}`), method, seed);
  }
  get audit(): RecordsFolder<SeedAuditFile, AuditSummaryFile> {
    return new RecordsFolder(path.join(this.dir, 'audit'), 'audit');
  }
  get sanity(): SanityFolder {
    return new SanityFolder(path.join(this.dir, 'sanity'));
  }
  /** Where the main job keeps the run's planted-bias sweep. */
  get biasSweep(): SweepFolder {
    return new SweepFolder(path.join(this.dir, 'bias-sweep'));
  }
  get baselineStudy(): BaselineStudyFolder {
    return new BaselineStudyFolder(path.join(this.dir, 'baseline-study'));
  }
  get masked(): MaskedFolder {
    return new MaskedFolder(path.join(this.dir, 'retrain-masked'));
  }
  /** Accuracy of a planted-bias run's models on the held-out subjects with the bias broken. */
  get brokenValidationFile(): string {
    return path.join(this.dir, 'broken-validation.json');
  }
  /** Region masks drawn as pictures. */
  get masksDir(): string {
    return path.join(this.dir, 'masks');
  }
  get slurm(): SlurmFolder {
    return slurmFolderOf(this.dir);
  }
}

/** A run folder from a path given by a user or a notebook. */
export function runFolder(dir: string | RunFolder): RunFolder {
  return typeof dir === 'string' ? new RunFolder(dir) : dir;
}
