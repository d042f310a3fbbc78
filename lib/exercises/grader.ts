// Grading a notebook (a student's filled-in version, or the instructor's):
// each exercise's grading notebook (grading-notebooks.ts) is executed
// headless on its own kernel — its own process, so exercises and students
// never share state — and judged (judge.ts). Points are all or nothing per
// exercise: the sum of its test cells' points when every one of them ran
// cleanly, else 0. The kernels of every exercise of every submission being
// graded run from one pool, as many at a time as there are cores: starting a
// kernel and type-checking the cells (tslab) is nearly all the time, and it
// is one core's work each.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Notebook, readNotebook, writeNotebook } from '../notebook/ipynb';
import { executeNotebook } from '../notebook/jupyter';
import { projectRoot } from '../run/locations';
import { defaultJobs } from '../util/cores';
import { SOURCE_DIR, sourceNotebooks } from './build';
import { gradeId } from './cell-roles';
import { gradingNotebooks, GradingPlan } from './grading-notebooks';
import { judgeExercise, TestOutcome, TestStatus } from './judge';
import { hasSolutionMarkers, readLayout } from './layout';

export interface ExerciseGrade {
  exercise: string;
  status: TestStatus;
  points: number;
  maxPoints: number;
  /** Empty when passed; else the first failed test's error line or the abort's cause. */
  message: string;
  tests: TestOutcome[];
  seconds: number;
  /** The executed grading notebook, when kept (options.keepDir). */
  executed?: string;
}

export interface GradeReport {
  submission: string;
  instructor: string;
  exercises: ExerciseGrade[];
  points: number;
  maxPoints: number;
  allPassed: boolean;
}

export interface GradeOptions {
  /** The instructor notebook (default: found in notebooks/source/, see findSource). */
  instructor?: string;
  /** The assignment (a folder of notebooks/source/) the submissions belong to. */
  assignment?: string;
  /** Where the assignments' source notebooks are (default notebooks/source). */
  sourceDir?: string;
  /** Grade only these exercise ids. */
  exercises?: readonly string[];
  /** Kernels run at the same time (default: the number of cores). */
  jobs?: number;
  /** Keep the executed grading notebooks here (default: a temporary folder, removed). */
  keepDir?: string;
  /** Longest time one cell may run (default 60 s): a student's endless loop fails the exercise, not the grader. */
  cellTimeoutSec?: number;
  /** Longest time one exercise's notebook may run (default 240 s). */
  timeoutSec?: number;
  /** Called as each exercise's kernel finishes: (done, total). */
  onProgress?: (done: number, total: number) => void;
}

function solutionIds(nb: Notebook): Set<string> {
  const ids = new Set<string>();
  for (const c of nb.cells) {
    const id = c.cell_type === 'code' ? gradeId(c) : undefined;
    if (id && ((c.metadata.nbgrader as { solution?: boolean } | undefined)?.solution ?? false)) ids.add(id);
  }
  return ids;
}

/**
 * The instructor notebook a submission is graded against, from the source
 * folder (nothing in the student's copy points to it): a notebook that still
 * holds solution markers is its own; else, within the given assignment (or
 * all of them), the source notebook of the same file name, else the one
 * whose solution cells' grade_ids the submission carries (a renamed file).
 */
export function findSource(submissionFile: string, submission: Notebook, options: Pick<GradeOptions, 'assignment' | 'sourceDir'> = {}): string {
  if (hasSolutionMarkers(submission)) return path.resolve(submissionFile);
  const sourceDir = options.sourceDir ?? SOURCE_DIR;
  const all = sourceNotebooks(sourceDir);
  const candidates = options.assignment ? all.filter((s) => s.assignment === options.assignment) : all;
  if (options.assignment && candidates.length === 0) {
    throw new Error(`--assignment ${options.assignment}: no such assignment in ${path.relative(projectRoot(), sourceDir)} (there: ${[...new Set(all.map((s) => s.assignment))].join(', ') || 'none'})`);
  }
  const byName = candidates.filter((s) => path.basename(s.file) === path.basename(submissionFile));
  if (byName.length === 1) return byName[0].file;
  const mine = solutionIds(submission);
  const scored = candidates.map((s) => ({ s, shared: [...solutionIds(readNotebook(s.file))].filter((id) => mine.has(id)).length })).filter((x) => x.shared > 0);
  const best = Math.max(0, ...scored.map((x) => x.shared));
  const top = scored.filter((x) => x.shared === best);
  if (top.length === 1) return top[0].s.file;
  const why = top.length > 1 ? `it matches ${top.map((x) => path.relative(projectRoot(), x.s.file)).join(' and ')} equally` : 'no source notebook has its name or its solution cells';
  throw new Error(`${submissionFile}: cannot tell which assignment it belongs to (${why}): pass --assignment <name> or --instructor <file>`);
}

/** One submission, ready to grade: its source and one plan per exercise. */
export interface SubmissionPlan {
  submission: string;
  instructor: string;
  plans: GradingPlan[];
}

export function planSubmission(submissionFile: string, options: GradeOptions = {}): SubmissionPlan {
  const submission = readNotebook(submissionFile);
  const instructor = options.instructor ? path.resolve(options.instructor) : findSource(submissionFile, submission, options);
  const layout = readLayout(readNotebook(instructor), path.relative(projectRoot(), instructor));
  const unknown = (options.exercises ?? []).filter((id) => !layout.exercises.some((e) => e.id === id));
  if (unknown.length) throw new Error(`no exercise ${unknown.join(', ')} in ${instructor} (it has ${layout.exercises.map((e) => e.id).join(', ')})`);
  return { submission: path.resolve(submissionFile), instructor, plans: gradingNotebooks(layout, submission, options.exercises) };
}

async function runPlan(plan: GradingPlan, work: string, stem: string, options: GradeOptions): Promise<ExerciseGrade> {
  const base = { exercise: plan.exercise.id, maxPoints: plan.exercise.points, points: 0 };
  if (!plan.notebook) {
    const message = `the submission has no solution cell ${plan.missing.join(', ')} (was it deleted, or its metadata lost?)`;
    return { ...base, status: 'failed', message, tests: plan.exercise.testIds.map((id) => ({ gradeId: id, status: 'aborted', message: 'not run' })), seconds: 0 };
  }
  const input = path.join(work, `${stem}${plan.exercise.id}.ipynb`);
  writeNotebook(input, plan.notebook);
  const output = path.join(options.keepDir ?? work, `${stem}${plan.exercise.id}.executed.ipynb`);
  const run = await executeNotebook(input, {
    output,
    cellTimeoutSec: options.cellTimeoutSec ?? 60,
    timeoutSec: options.timeoutSec ?? 240,
  });
  const kept = options.keepDir ? output : undefined;
  if (!run.notebook) {
    const cellTimeout = options.cellTimeoutSec ?? 60;
    const timedOut = /CellTimeoutError|timed out/i.test(run.stderr);
    const why = timedOut ? 'timed out' : `did not finish (nbconvert exit ${run.status})`;
    const tail = run.stderr.split('\n').map((l) => l.trim()).filter((l) => /\w/.test(l)).slice(-1)[0] ?? '';
    const detail = timedOut ? `a cell ran longer than ${cellTimeout} s (an endless loop?), or the whole notebook longer than ${options.timeoutSec ?? 240} s` : tail;
    return {
      ...base,
      status: 'failed',
      message: `the exercise's notebook ${why}: ${detail}`.slice(0, 400),
      tests: plan.exercise.testIds.map((id) => ({ gradeId: id, status: 'aborted', message: why })),
      seconds: run.seconds,
      executed: kept,
    };
  }
  const outcome = judgeExercise(run.notebook, plan.exercise.testIds);
  return {
    ...base,
    points: outcome.status === 'passed' ? plan.exercise.points : 0,
    status: outcome.status,
    message: outcome.message,
    tests: outcome.tests,
    seconds: run.seconds,
    executed: kept,
  };
}

/** Runs tasks with at most `jobs` at a time, results in input order. */
async function pool<T, R>(items: T[], jobs: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

/** The report of a planned submission from its exercises' grades. */
function report(p: SubmissionPlan, exercises: ExerciseGrade[]): GradeReport {
  return {
    submission: p.submission,
    instructor: p.instructor,
    exercises,
    points: exercises.reduce((t, e) => t + e.points, 0),
    maxPoints: exercises.reduce((t, e) => t + e.maxPoints, 0),
    allPassed: exercises.length > 0 && exercises.every((e) => e.status === 'passed'),
  };
}

/**
 * Grades planned submissions: every exercise of every submission from one
 * pool of `jobs` kernels; reports in the order given. `stems` name each
 * submission's files in keepDir (default: none, for one submission).
 */
export async function gradePlanned(planned: readonly SubmissionPlan[], options: GradeOptions = {}, stems?: readonly string[]): Promise<GradeReport[]> {
  if (options.keepDir) fs.mkdirSync(options.keepDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-grade-'));
  try {
    const tasks = planned.flatMap((p, i) => p.plans.map((plan) => ({ i, plan })));
    let done = 0;
    options.onProgress?.(0, tasks.length);
    const grades = await pool(tasks, options.jobs ?? defaultJobs(), async ({ i, plan }) => {
      const grade = await runPlan(plan, work, stems?.[i] ? `${stems[i]}.` : '', options);
      options.onProgress?.(++done, tasks.length);
      return grade;
    });
    return planned.map((p, i) => report(p, grades.filter((_, k) => tasks[k].i === i)));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export async function gradeNotebook(submissionFile: string, options: GradeOptions = {}): Promise<GradeReport> {
  const [graded] = await gradePlanned([planSubmission(submissionFile, options)], options);
  return graded;
}
