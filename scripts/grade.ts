// `npm run grade -- <folder of submissions | notebook.ipynb> [options]`.
//
// A folder: every notebook in it (<folder>/<student>/….ipynb or
// <folder>/<student>.ipynb) is graded against its assignment's source in
// notebooks/source/ — every exercise on its own kernel, all of them from one
// pool of worker processes — into <out>/gradebook.csv (student, notebook,
// exercise, status, points, max points, reason) and <out>/feedback/<student>.html.
// One notebook: its table of exercises and the score are printed.
// Exits 1 unless everything graded passed.
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { formatGrade } from '../lib/exercises/grade-table';
import { gradeFolder } from '../lib/exercises/gradebook';
import { gradeNotebook } from '../lib/exercises/grader';
import { writeFileAtomic } from '../lib/util/atomic-write';
import { outputsRoot } from '../lib/run/locations';
import { defaultJobs } from '../lib/util/cores';

const USAGE = `usage: npm run grade -- <folder of submissions | notebook.ipynb> [options]
  --out <folder>       where the gradebook and feedback go (a folder of submissions;
                       default outputs/grades/<folder name>)
  --assignment <name>  the assignment (folder of notebooks/source/) the notebooks belong to
                       (default: found by file name, else by the notebooks' cells)
  --instructor <file>  grade against this source notebook instead
  --exercise <id>      grade only this exercise (repeatable)
  --jobs <n>           kernels at the same time (default: the number of cores, ${defaultJobs()})
  --keep <folder>      keep the executed per-exercise notebooks here
  --json <file>        one notebook: also write the report as JSON`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        assignment: { type: 'string' },
        instructor: { type: 'string' },
        exercise: { type: 'string', multiple: true },
        jobs: { type: 'string' },
        keep: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const target = positionals[0];
  if (!fs.existsSync(target)) {
    console.error(`${target}: no such file or folder\n${USAGE}`);
    return 2;
  }
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1 && jobs <= 64)) {
    console.error(`--jobs: expected an integer from 1 to 64, got ${values.jobs}`);
    return 2;
  }
  const options = { instructor: values.instructor, assignment: values.assignment, exercises: values.exercise, jobs, keepDir: values.keep };
  const started = Date.now();

  if (fs.statSync(target).isDirectory()) {
    if (values.json) console.warn('--json applies to one notebook; a folder gets its gradebook CSV');
    const out = path.resolve(values.out ?? path.join(outputsRoot(), 'grades', path.basename(path.resolve(target))));
    let last = -1;
    const grades = await gradeFolder(target, out, {
      ...options,
      onProgress: (done, total) => {
        if (done === last) return;
        last = done;
        process.stderr.write(`grading ${path.basename(path.resolve(target))}: ${done}/${total} exercise kernels done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
      },
    });
    for (const g of grades.submissions) {
      console.log(g.report ? `${g.student}  ${g.name}  ${g.report.points}/${g.report.maxPoints}` : `${g.student}  ${g.name}  not graded: ${g.error}`);
    }
    console.log(`gradebook: ${path.relative(process.cwd(), grades.gradebook)}; feedback: ${path.relative(process.cwd(), path.dirname(grades.feedback[0]))}/ (${grades.feedback.length} students) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return grades.submissions.every((g) => g.report?.allPassed) ? 0 : 1;
  }

  if (values.out) console.warn('--out applies to a folder of submissions; one notebook is printed');
  console.error(`grading ${target}: each exercise on its own kernel...`);
  const report = await gradeNotebook(target, options);
  console.log(formatGrade(report));
  if (values.json) writeFileAtomic(values.json, JSON.stringify(report, null, 2) + '\n');
  return report.allPassed ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
