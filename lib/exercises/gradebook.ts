// Grading a class: every notebook in a folder of submissions, in one command.
// Who a notebook belongs to comes from where it is: <folder>/<student>/…/x.ipynb
// (nbgrader's submitted/<student>/<assignment>/ layout, or one folder per
// student), or <folder>/<student>.ipynb (a flat download). Every exercise of
// every submission is graded on its own kernel, all from one pool (grader.ts);
// a notebook that cannot be graded at all (unreadable, of no known
// assignment) gets a row saying why, and the others go on. The results: a
// gradebook CSV (one row per student, notebook and exercise) and one feedback
// page per student, which says what failed but never shows a hidden test.
import * as fs from 'fs';
import * as path from 'path';
import { toHtmlTable } from '../notebook/dataframe-html';
import { escapeHtml } from '../util/html';
import { writeFileAtomic } from '../util/atomic-write';
import { GradeOptions, gradePlanned, GradeReport, planSubmission, SubmissionPlan } from './grader';

export interface Submission {
  student: string;
  file: string;
  /** The notebook's path inside the folder, with forward slashes. */
  name: string;
}

export const GRADEBOOK_FILE = 'gradebook.csv';
export const FEEDBACK_DIR = 'feedback';

/** Every notebook under the folder (checkpoints and hidden folders skipped), by student then path. */
export function findSubmissions(folder: string): Submission[] {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new Error(`${folder}: not a folder of submissions (expected <folder>/<student>/….ipynb or <folder>/<student>.ipynb)`);
  const found: Submission[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.isFile() && e.name.endsWith('.ipynb')) {
        const name = path.relative(folder, file).split(path.sep).join('/');
        const parts = name.split('/');
        found.push({ student: parts.length > 1 ? parts[0] : e.name.replace(/\.ipynb$/, ''), file, name });
      }
    }
  };
  walk(folder);
  if (found.length === 0) throw new Error(`${folder}: no .ipynb notebooks in it (expected <folder>/<student>/….ipynb or <folder>/<student>.ipynb)`);
  return found.sort((a, b) => a.student.localeCompare(b.student) || a.name.localeCompare(b.name));
}

export interface GradebookRow {
  student: string;
  notebook: string;
  exercise: string;
  status: string;
  points: number;
  max_points: number | '';
  reason: string;
}

export interface GradedSubmission extends Submission {
  report?: GradeReport;
  /** Why it could not be graded at all. */
  error?: string;
}

export interface ClassGrades {
  submissions: GradedSubmission[];
  rows: GradebookRow[];
  gradebook: string;
  feedback: string[];
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function gradebookCsv(rows: readonly GradebookRow[]): string {
  const columns: (keyof GradebookRow)[] = ['student', 'notebook', 'exercise', 'status', 'points', 'max_points', 'reason'];
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))].join('\n') + '\n';
}

export function gradebookRows(graded: readonly GradedSubmission[]): GradebookRow[] {
  return graded.flatMap((g): GradebookRow[] =>
    g.report
      ? g.report.exercises.map((e) => ({ student: g.student, notebook: g.name, exercise: e.exercise, status: e.status, points: e.points, max_points: e.maxPoints, reason: e.message }))
      : [{ student: g.student, notebook: g.name, exercise: '', status: 'not graded', points: 0, max_points: '' as const, reason: g.error ?? '' }],
  );
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
table.smile-lens-table th,table.smile-lens-table td{border:1px solid #ddd;padding:.25em .6em}.note{color:#666;font-size:.9em}`;

/** One student's page: each notebook's exercises with result, points and what went wrong. */
export function feedbackHtml(student: string, graded: readonly GradedSubmission[], when = new Date()): string {
  const sections = graded.map((g) => {
    if (!g.report) return `<h2>${escapeHtml(g.name)}</h2><p><strong>Not graded:</strong> ${escapeHtml(g.error ?? '')}</p>`;
    const r = g.report;
    const rows = r.exercises.map((e) => ({ exercise: e.exercise, result: e.status, points: `${e.points}/${e.maxPoints}`, 'what went wrong': e.message }));
    return `<h2>${escapeHtml(g.name)}: ${r.points}/${r.maxPoints} points</h2>${toHtmlTable(rows)}`;
  });
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Feedback: ${escapeHtml(student)}</title><style>${STYLE}</style></head><body>\n` +
    `<h1>Feedback for ${escapeHtml(student)}</h1>\n${sections.join('\n')}\n` +
    `<p class="note">Each exercise ran on its own kernel with your solution and the tests (some hidden); it scores when every test ran and passed. ` +
    `"aborted" means a test never ran because something before it failed. Graded ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC.</p>\n</body></html>\n`
  );
}

/** A file-name-safe form of a student id. */
function safeName(s: string): string {
  return s.replace(/[^\w.@-]+/g, '_') || 'student';
}

export async function gradeFolder(folder: string, outDir: string, options: GradeOptions = {}): Promise<ClassGrades> {
  const submissions = findSubmissions(folder);
  const planned: { s: Submission; plan?: SubmissionPlan; error?: string }[] = submissions.map((s) => {
    try {
      return { s, plan: planSubmission(s.file, options) };
    } catch (e) {
      return { s, error: (e as Error).message.replace(`${s.file}: `, '') };
    }
  });
  const ok = planned.filter((p) => p.plan);
  const keep = options.keepDir;
  const reports = await gradePlanned(ok.map((p) => p.plan!), options, keep ? ok.map((p) => safeName(p.s.name.replace(/\.ipynb$/, ''))) : undefined);
  const graded: GradedSubmission[] = planned.map((p) => ({ ...p.s, ...(p.plan ? { report: reports[ok.indexOf(p)] } : { error: p.error }) }));
  const rows = gradebookRows(graded);
  const gradebook = path.join(outDir, GRADEBOOK_FILE);
  writeFileAtomic(gradebook, gradebookCsv(rows));
  const feedback: string[] = [];
  for (const student of [...new Set(graded.map((g) => g.student))]) {
    const file = path.join(outDir, FEEDBACK_DIR, `${safeName(student)}.html`);
    writeFileAtomic(file, feedbackHtml(student, graded.filter((g) => g.student === student)));
    feedback.push(file);
  }
  return { submissions: graded, rows, gradebook, feedback };
}
