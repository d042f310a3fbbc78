// `npx tsx scripts/grade.ts <notebook.ipynb> [options]`: grades a student's
// filled-in exercise notebook (or an instructor notebook). Every exercise
// runs on its own kernel — the shared set-up, the exercise's cells with the
// submitted solution, its check and the hidden tests from the instructor
// version — so one broken exercise cannot pass or abort another. Prints one
// row per exercise (passed / failed with the error's first line / aborted
// after an earlier failure) and the score; exits 1 unless all passed.
import { parseArgs } from 'util';
import { formatGrade } from '../lib/exercises/grade-table';
import { gradeNotebook } from '../lib/exercises/grader';
import { writeFileAtomic } from '../lib/util/atomic-write';

const USAGE = `usage: npx tsx scripts/grade.ts <notebook.ipynb> [--instructor <file>] [--exercise <id>]... [--jobs <n>] [--keep <folder>] [--json <file>]
  --instructor  the instructor notebook (default: the one the student version names)
  --exercise    grade only this exercise (repeatable)
  --jobs        exercises executed at the same time (default 2)
  --keep        keep the executed per-exercise notebooks in this folder
  --json        also write the report as JSON`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
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
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
    console.error(`--jobs: expected a positive integer, got ${values.jobs}`);
    return 2;
  }
  console.error(`grading ${positionals[0]}: each exercise on its own kernel...`);
  const report = await gradeNotebook(positionals[0], {
    instructor: values.instructor,
    exercises: values.exercise,
    jobs,
    keepDir: values.keep,
  });
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
