// What each file of a run folder holds. The layout (which file is where) is
// run-folder.ts's; the stages fill these in.
import type { AggregateRow, AuditRecord } from '../audit/aggregate';
import type { AuditConfig } from '../config/audit';
import type { ExperimentConfig } from '../config/experiment';
import type { Submission } from '../executor/slurm/slurm-client';
import type { SanityConfig } from '../config/sanity';
import type { NormalisationStats } from '../data/normalisation';
import type { Baselines, ClassificationMetrics } from '../train/metrics';
import type { WarningCount } from '../regions/mask-warnings';
import type { Interval } from '../util/interval';

/** config.json: everything needed to reproduce and resume the run. */
export interface RunConfigFile {
  experiment: ExperimentConfig;
  /** The data set as the run saw it (root, layout, counts, cache key). */
  data: unknown;
  backend: string;
  versions: Record<string, string>;
  created: string;
}

/** seed-<s>/split.json: the seed's subject-disjoint split, by file name, and its normalisation. */
export interface SeedSplit {
  seed: number;
  /** Files relative to the data set root. */
  train: string[];
  validation: string[];
  /** Images per expression, in EXPRESSIONS order. */
  trainCounts: number[];
  validationCounts: number[];
  normalisation: NormalisationStats;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
  seconds: number;
}

/** seed-<s>/result.json: its presence marks the seed done. */
export interface SeedResult {
  seed: number;
  status: 'done' | 'diverged';
  message?: string;
  epochs: number;
  history: EpochRecord[];
  validation?: ClassificationMetrics;
  seconds: number;
}

/** seed-<s>/checkpoint.json: the newest complete checkpoint (written last). */
export interface CheckpointPointer {
  epoch: number;
  folder: string;
  history: EpochRecord[];
  seconds: number;
}

/** history.json: per-epoch figures of every seed. */
export type HistoryFile = Record<number, EpochRecord[]>;

/** metrics.json: per-seed figures, their summary over seeds, and the baselines. */
export interface MetricsFile {
  classes: readonly string[];
  seeds: {
    seed: number;
    status: SeedResult['status'];
    message?: string;
    validation?: ClassificationMetrics;
    baselines: Baselines;
    seconds: number;
  }[];
  summary: Record<'accuracy' | 'balancedAccuracy' | 'macroF1' | 'nll', Interval>;
  baselineSummary: Record<'majorityAccuracy' | 'stratifiedAccuracy', Interval>;
}

/** explanations/<method>/seed-<s>/<image>.json, beside the map (.npy) and its overlay (.png). */
export interface ExplanationSidecar {
  method: string;
  seed: number;
  image: string;
  expression: string;
  label: number;
  classIndex: number;
  className: string;
  predicted: number;
  /** The explained target at the input. */
  score: number;
  target: string;
  npy: string;
  png: string;
  /** Shape of the .npy map (a layer's resolution, or the input's). */
  shape: [number, number];
  inputSize: number;
  allZero: boolean;
  parameters: Record<string, unknown>;
  /** The method's figures about its own accuracy (e.g. GradientSHAP's completeness delta). */
  diagnostics: Record<string, number>;
  /** The options that produced this file; a resumed run reuses it only when they match. */
  request: string;
}

/** audit/seed-<s>.json and sanity/seed-<s>.json: one seed's records (resume: a finished seed is kept). */
export interface SeedRecordsFile {
  request: string;
  seed: number;
  seconds: number;
  records: AuditRecord[];
}

/** Which region masks an audit stands on: the masker and why, its regions, the faces it did not find (left out of the shares), its warnings counted. */
export interface AuditRegions {
  kind: string;
  reason: string;
  names: string[];
  notFound: string[];
  warnings: WarningCount[];
}

export interface SeedAuditFile extends SeedRecordsFile {
  regions: AuditRegions;
}

export interface AuditSummaryFile {
  run: string;
  methods: string[];
  seeds: number[];
  regions: AuditRegions;
  /** What the audited maps explain (ExplanationSidecar.target): the faithfulness scores are in its units. */
  targets?: string[];
  options: AuditConfig;
  rows: AggregateRow[];
  seconds: number;
}

export interface RandomLabelModel {
  epochs: number;
  /** Accuracy on the permuted training labels after the last epoch: how far it memorised. */
  trainAccuracy: number;
  /** Accuracy on the true validation labels (chance, if the labels were really destroyed). */
  validationAccuracy: number;
}

export interface SeedSanityFile extends SeedRecordsFile {
  stages: string[];
  randomLabelModel?: RandomLabelModel;
}

export interface SanitySummaryFile {
  run: string;
  seeds: number[];
  methods: string[];
  /** In the order randomised: 'trained', then the cascade from the top, then 'random labels'. */
  stages: string[];
  randomLabelModels: ({ seed: number } & RandomLabelModel)[];
  options: SanityConfig;
  rows: AggregateRow[];
  seconds: number;
}

/**
 * slurm/submissions.json: one entry per sbatch — what the Slurm client
 * (lib/executor/slurm/, which depends on nothing of smile-lens) returned, and
 * what it was for.
 */
export interface SlurmSubmissionRecord extends Submission {
  /** "<sequence>-<what>": names its script, jobs file and progress files (SlurmFolder). */
  id: string;
  /** 'units': a stage's units as a job array; 'chain': the command itself, resuming (merges, then the next stage). */
  role: 'units' | 'chain';
  /** The job kind of the units (role 'units'). */
  kind?: string;
  /** The units' list (role 'units'): the file the worker reads unit i from. */
  jobsFile?: string;
  /** Unit i in words, e.g. "training seed 2 of <run>". */
  what: string[];
  /** The smile-lens command line that made the submission (the one to run again to resume). */
  command: string[];
  /** The folder the command ran in (relative paths in it resolve there). */
  workDir: string;
  submitted: string;
}

/** baseline-study/seed-<s>.json (and p-<p>-seed-<s>.json for a planted-bias run): one seed's measurements per method and baseline. */
export interface BaselineStudySeedFile {
  request: string;
  seed: number;
  /** The planted-bias strength for a sweep run's seed; absent for the run's own. */
  strength?: number;
  /** Per method and baseline, mean over the images. */
  measures: {
    method: string;
    baseline: string;
    images: number;
    /** Per fill: the deletion and insertion gaps (target units, > 0 beats random pixels). */
    deletion: Record<string, number>;
    insertion: Record<string, number>;
    /** |Σφ − (y(x̃) − y(b))| (the method's mean delta), and |y(x̃) − y(b)| it is read against; NaN for methods without completeness. */
    completenessError: number;
    scoreChange: number;
    /** Per image: the share of |attribution| in the planted region, and the region's share of the picture (sweep runs). */
    regionShares?: number[];
    regionAreas?: number[];
    secondsPerImage: number;
  }[];
}

/** baseline-study/study.json: the baseline study of a run (lib/pipeline/baseline-study.ts). */
export interface BaselineStudyFile {
  run: string;
  target: string;
  fills: string[];
  seeds: number[];
  images: number;
  /** The planted-bias runs used (strength, folder), the region planted, images per seed. */
  planted?: { region: string; strengths: number[]; images: number };
  measures: {
    method: string;
    baseline: string;
    deletion: Record<string, Interval>;
    /** The mean over fills of the deletion gap (the ranking figure), and of the insertion gap. */
    deletionMean: Interval;
    insertionMean: Interval;
    completenessError: Interval;
    scoreChange: Interval;
    secondsPerImage: Interval;
    /** Per studied strength: the planted region's share of |attribution| and its area. */
    planted: { strength: number; share: Interval; area: Interval }[];
  }[];
  /** Per method: the best-measured baseline and why, in words. */
  best: Record<string, { baseline: string; why: string }>;
  seconds: number;
}
