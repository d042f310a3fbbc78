// The grade as a plain-text table, one row per exercise, and the score.
import * as path from 'path';
import type { GradeReport } from './grader';

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - text.length));
}

export function formatGrade(report: GradeReport, cwd = process.cwd()): string {
  const rows = report.exercises.map((e) => [e.exercise, e.status, `${e.points}/${e.maxPoints}`, e.message]);
  const header = ['exercise', 'result', 'points', 'detail'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]))).join('  ').trimEnd();
  const passed = report.exercises.filter((e) => e.status === 'passed').length;
  return [
    `${path.relative(cwd, report.submission) || report.submission} (graded against ${path.relative(cwd, report.instructor)})`,
    line(header),
    ...rows.map(line),
    `score: ${report.points}/${report.maxPoints} points, ${passed} of ${report.exercises.length} exercises passed`,
  ].join('\n');
}
