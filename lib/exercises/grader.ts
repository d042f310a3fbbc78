// Grading a notebook (a student's filled-in version, or the instructor's):
// each exercise's grading notebook (grading-notebooks.ts) is executed
// headless on its own kernel and judged (judge.ts). Points are all or
// nothing per exercise: the sum of its test cells' points when every one of
// them ran cleanly, else 0.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Notebook, readNotebook, writeNotebook } from '../notebook/ipynb';
import { executeNotebook, REPO_ROOT } from '../notebook/jupyter';
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
  /** The instructor notebook (default: the one the student version names, see instructorFor). */
  instructor?: string;
  /** Grade only these exercise ids. */
  exercises?: readonly string[];
  /** Exercises executed at the same time (default 2, at most the CPU count). */
  jobs?: number;
  /** Keep the executed grading notebooks here (default: a temporary folder, removed). */
  keepDir?: string;
  /** Longest time one cell may run (default 60 s): a student's endless loop fails the exercise, not the grader. */
  cellTimeoutSec?: number;
  /** Longest time one exercise's notebook may run (default 240 s). */
  timeoutSec?: number;
}

/**
 * The instructor notebook for a submission: the one its metadata names
 * (smile_lens.student_version_of, relative to the repository root), else the
 * submission itself when it still holds solution markers.
 */
export function instructorFor(submissionFile: string, submission: Notebook): string {
  const named = ((submission.metadata ?? {}).smile_lens as { student_version_of?: unknown } | undefined)?.student_version_of;
  if (typeof named === 'string') {
    const file = path.resolve(REPO_ROOT, named);
    if (!fs.existsSync(file)) throw new Error(`${submissionFile}: its instructor notebook ${file} does not exist (pass the instructor notebook explicitly)`);
    return file;
  }
  if (hasSolutionMarkers(submission)) return path.resolve(submissionFile);
  throw new Error(`${submissionFile}: cannot tell which instructor notebook it belongs to (no metadata.smile_lens.student_version_of): pass it explicitly`);
}

async function runPlan(plan: GradingPlan, work: string, options: GradeOptions): Promise<ExerciseGrade> {
  const base = { exercise: plan.exercise.id, maxPoints: plan.exercise.points, points: 0 };
  if (!plan.notebook) {
    const message = `the submission has no solution cell ${plan.missing.join(', ')} (was it deleted, or its metadata lost?)`;
    return { ...base, status: 'failed', message, tests: plan.exercise.testIds.map((id) => ({ gradeId: id, status: 'aborted', message: 'not run' })), seconds: 0 };
  }
  const input = path.join(work, `${plan.exercise.id}.ipynb`);
  writeNotebook(input, plan.notebook);
  const output = path.join(options.keepDir ?? work, `${plan.exercise.id}.executed.ipynb`);
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

export async function gradeNotebook(submissionFile: string, options: GradeOptions = {}): Promise<GradeReport> {
  const submission = readNotebook(submissionFile);
  const instructor = options.instructor ? path.resolve(options.instructor) : instructorFor(submissionFile, submission);
  const layout = readLayout(readNotebook(instructor), path.relative(REPO_ROOT, instructor));
  const unknown = (options.exercises ?? []).filter((id) => !layout.exercises.some((e) => e.id === id));
  if (unknown.length) throw new Error(`no exercise ${unknown.join(', ')} in ${instructor} (it has ${layout.exercises.map((e) => e.id).join(', ')})`);
  const plans = gradingNotebooks(layout, submission, options.exercises);
  if (options.keepDir) fs.mkdirSync(options.keepDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-grade-'));
  try {
    const jobs = options.jobs ?? Math.min(2, os.cpus().length);
    const exercises = await pool(plans, jobs, (plan) => runPlan(plan, work, options));
    const points = exercises.reduce((t, e) => t + e.points, 0);
    const maxPoints = exercises.reduce((t, e) => t + e.maxPoints, 0);
    return {
      submission: path.resolve(submissionFile),
      instructor,
      exercises,
      points,
      maxPoints,
      allPassed: exercises.length > 0 && exercises.every((e) => e.status === 'passed'),
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
