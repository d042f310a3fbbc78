// Teaching exercises: the student-version builder on hand-made notebooks,
// the grader's pieces (grading notebooks, judging executed cells, the
// check helper), that the committed student versions are up to date, and
// end to end with the real kernel: stubs fail, solutions pass, and every
// exercise is graded on its own.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Cell, joinSource, Notebook, Output, readNotebook, writeNotebook } from '../lib/notebook/ipynb';
import { ensureKernels, jupyterBinary } from '../lib/notebook/jupyter';
import { projectRoot } from '../lib/run/locations';
import { buildRelease, RELEASE_DIR, staleReleaseFiles } from '../lib/exercises/build';
import { CellRole, exerciseMetadata, gradeId } from '../lib/exercises/cell-roles';
import { expectClose, expectThrows } from '../lib/exercises/expect';
import { formatGrade } from '../lib/exercises/grade-table';
import { ClassGrades, findSubmissions, gradebookCsv, gradeFolder } from '../lib/exercises/gradebook';
import { findSource, gradeNotebook, GradeReport } from '../lib/exercises/grader';
import { gradingInfo, gradingNotebooks } from '../lib/exercises/grading-notebooks';
import { handMadeModel } from '../lib/exercises/hand-made-model';
import { errorLine, judgeExercise } from '../lib/exercises/judge';
import { readLayout } from '../lib/exercises/layout';
import { findRegions, regionBody } from '../lib/exercises/markers';
import { STUB, studentVersion } from '../lib/exercises/student-version';

function code(source: string, role?: CellRole, exercise?: string, extra: Partial<Cell> = {}): Cell {
  return {
    cell_type: 'code',
    metadata: role ? exerciseMetadata(role, exercise) : {},
    source,
    execution_count: null,
    outputs: [],
    ...extra,
  };
}

function md(source: string): Cell {
  return { cell_type: 'markdown', metadata: {}, source };
}

function notebook(...cells: Cell[]): Notebook {
  return { cells, metadata: {}, nbformat: 4, nbformat_minor: 5 };
}

/** A two-exercise instructor notebook with outputs, as if executed. */
function handMade(): Notebook {
  return notebook(
    md('# exercises'),
    code("import * as tf from '@tensorflow/tfjs';", 'setup', undefined, { execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: 'ok\n' }] }),
    code(
      [
        'function double(x: number): number {',
        '  // BEGIN SOLUTION',
        '  return 2 * x;',
        '  // END SOLUTION',
        '}',
        'function half(x: number): number {',
        '    // BEGIN SOLUTION',
        '    const h = x / 2;',
        '    return h;',
        '    // END SOLUTION',
        '}',
      ].join('\n'),
      'solution',
      'a',
      { execution_count: 2, id: 'keep-this-id' },
    ),
    code(['if (double(2) !== 4) throw new Error("double");', '// BEGIN HIDDEN TESTS', 'if (half(3) !== 1.5) throw new Error("half");', '// END HIDDEN TESTS'].join('\n'), 'check', 'a'),
    code(['// BEGIN HIDDEN TESTS', 'if (double(-1) !== -2) throw new Error("negative");', '// END HIDDEN TESTS', ''].join('\n'), 'hidden', 'a', {
      execution_count: 4,
      metadata: { ...exerciseMetadata('hidden', 'a', { points: 2 }), execution: { 'iopub.status.busy': 't' } },
    }),
    code('const seven = 7;', 'setup', 'b'),
    code('function inc(x: number): number {\n  // BEGIN SOLUTION\n  return x + 1;\n  // END SOLUTION\n}', 'solution', 'b'),
    code('if (inc(seven) !== 8) throw new Error("inc");', 'check', 'b'),
    { cell_type: 'markdown', metadata: { smile_lens: { role: 'instructor' } }, source: 'For instructors: the solutions are in source/hand/.' },
  );
}

describe('exercise markers', () => {
  it('finds solution and hidden regions with their indentation', () => {
    const regions = findRegions('a\n  // BEGIN SOLUTION\n  x\n  // END SOLUTION\n//BEGIN HIDDEN TESTS\ny\n// END HIDDEN TESTS', 'nb: cell 1');
    assert.deepStrictEqual(regions, [
      { kind: 'solution', begin: 1, end: 3, indent: '  ' },
      { kind: 'hidden', begin: 4, end: 6, indent: '' },
    ]);
    const two = 'a\n// BEGIN SOLUTION\nx\ny\n// END SOLUTION';
    assert.deepStrictEqual(regionBody(two, findRegions(two, 'nb: cell 2')[0]), ['x', 'y']);
  });

  const bad: [string, string, RegExp][] = [
    ['END without BEGIN', 'x\n// END SOLUTION', /line 2: "\/\/ END SOLUTION" without a "\/\/ BEGIN SOLUTION"/],
    ['unclosed', '// BEGIN SOLUTION\nx', /line 1: "\/\/ BEGIN SOLUTION" is never closed/],
    ['nested', '// BEGIN SOLUTION\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS\n// END SOLUTION', /line 2: .*inside the solution region opened on line 1 \(regions cannot nest\)/],
    ['crossed', '// BEGIN SOLUTION\nx\n// END HIDDEN TESTS', /closes the solution region opened on line 1/],
    ['sharing a line with code', 'return 1; // BEGIN SOLUTION', /must be alone on its line/],
  ];
  for (const [what, source, message] of bad) {
    it(`rejects a marker ${what}, naming the notebook and cell`, () => {
      const nb = handMade();
      nb.cells[6].source = source;
      assert.throws(() => studentVersion(nb, { name: 'hand.ipynb' }), (e: Error) => {
        assert.match(e.message, /^hand\.ipynb: cell 7 \(b-solution\): /);
        assert.match(e.message, message);
        return true;
      });
    });
  }
});

describe('exercise layout', () => {
  const cases: [string, (nb: Notebook) => void, RegExp][] = [
    ['an untagged code cell', (nb) => (nb.cells[5].metadata = {}), /cell 6 .*need metadata\.smile_lens\.role/],
    ['a solution cell without markers', (nb) => (nb.cells[6].source = 'function inc(x: number) { return x + 1; }'), /would hand out the answer/],
    ['an exercise without tests', (nb) => nb.cells.splice(7, 1), /exercise "b" has no check or hidden-test cell/],
    ['a solution region in a check cell', (nb) => (nb.cells[7].source = '// BEGIN SOLUTION\nx\n// END SOLUTION'), /a solution region in a check cell/],
    ['a duplicate grade_id', (nb) => (nb.cells[7].metadata = exerciseMetadata('check', 'a')), /grade_id "a-check" is also used by cell 4/],
  ];
  for (const [what, spoil, message] of cases) {
    it(`rejects ${what}`, () => {
      const nb = handMade();
      spoil(nb);
      assert.throws(() => readLayout(nb, 'hand.ipynb'), message);
    });
  }

  it('lists exercises with their tests and all-or-nothing points', () => {
    const layout = readLayout(handMade(), 'hand.ipynb');
    assert.deepStrictEqual(
      layout.exercises.map((e) => [e.id, e.solutionIds, e.testIds, e.points]),
      [
        ['a', ['a-solution'], ['a-check', 'a-hidden'], 3],
        ['b', ['b-solution'], ['b-check'], 1],
      ],
    );
  });
});

describe('student version', () => {
  it('stubs solutions, removes hidden tests, clears outputs, keeps ids and metadata', () => {
    const instructor = handMade();
    const before = JSON.stringify(instructor);
    const v = studentVersion(instructor, { name: 'hand.ipynb' });
    assert.strictEqual(JSON.stringify(instructor), before, 'the instructor notebook is not changed');
    assert.deepStrictEqual([v.exercises, v.stubbed, v.hiddenRemoved, v.cellsRemoved], [['a', 'b'], 3, 2, 2]);
    const cells = v.notebook.cells;
    assert.strictEqual(cells.length, 7, 'the hidden-only cell and the note for instructors are gone');
    const solution = joinSource(cells[2].source);
    assert.strictEqual(
      solution,
      ['function double(x: number): number {', `  ${STUB}`, '}', 'function half(x: number): number {', `    ${STUB}`, '}'].join('\n'),
    );
    assert.strictEqual(cells[2].id, 'keep-this-id');
    assert.strictEqual(joinSource(cells[3].source), 'if (double(2) !== 4) throw new Error("double");', 'the visible part of a check stays');
    const all = JSON.stringify(v.notebook);
    for (const gone of ['2 * x', 'x / 2', 'half(3)', 'negative', 'BEGIN', 'END', 'For instructors', 'source/']) assert.ok(!all.includes(gone), `"${gone}" leaked into the student version`);
    for (const c of cells.filter((c) => c.cell_type === 'code')) {
      assert.deepStrictEqual([c.outputs, c.execution_count], [[], null]);
      assert.ok(!('execution' in c.metadata));
    }
    assert.deepStrictEqual([cells[2].metadata.editable, cells[3].metadata.editable, cells[3].metadata.deletable], [true, false, false]);
    assert.strictEqual(gradeId(cells[2]), 'a-solution');
    assert.strictEqual(v.notebook.metadata.smile_lens, undefined, 'nothing points back to the source');
  });

  it('the committed notebooks/release/ is what `npm run exercises` builds now, nbgrader-style', () => {
    const built = buildRelease({ write: false });
    assert.deepStrictEqual(built.map((b) => [b.assignment, path.relative(projectRoot(), b.source), path.relative(projectRoot(), b.target)]), [
      ['07-exercises', 'notebooks/source/07-exercises/07-exercises.ipynb', 'notebooks/release/07-exercises/07-exercises.ipynb'],
    ]);
    const stale = built.filter((b) => b.changed).map((b) => path.relative(projectRoot(), b.target));
    assert.deepStrictEqual(stale, [], 'out of date: run `npm run exercises` and commit notebooks/release/');
    assert.deepStrictEqual(staleReleaseFiles(built), []);
  });

  it('no solution, hidden test or pointer to them anywhere in the release folder', () => {
    const released = fs.readdirSync(RELEASE_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => !fs.statSync(path.join(RELEASE_DIR, f)).isDirectory());
    assert.deepStrictEqual(released, ['07-exercises/07-exercises.ipynb'], 'only the students\' notebooks');
    const text = released.map((f) => fs.readFileSync(path.join(RELEASE_DIR, f), 'utf8')).join('\n');
    const source = readNotebook(INSTRUCTOR);
    const secret = source.cells.flatMap((c) => {
      const src = joinSource(c.source);
      return c.cell_type === 'code' ? findRegions(src, 'x').flatMap((r) => regionBody(src, r)) : [];
    });
    const lines = [...new Set(secret.map((l) => l.trim()).filter((l) => l.length > 12 && !l.startsWith('//') && l !== '}' && l !== '});'))];
    assert.ok(lines.length > 20, `the source has solution and hidden-test lines to look for (${lines.length})`);
    for (const line of lines) assert.ok(!text.includes(JSON.stringify(line).slice(1, -1)), `leaked into the release: ${line}`);
    for (const pointer of ['notebooks/source', 'source/07', 'student_version_of', 'For instructors', 'BEGIN SOLUTION', 'HIDDEN TESTS']) {
      assert.ok(!text.includes(pointer), `the release mentions "${pointer}"`);
    }
  });
});

describe('grading notebooks', () => {
  it('one per exercise: shared setup, its own cells, the solution from the submission, everything else from the instructor', () => {
    const instructor = handMade();
    const submission = studentVersion(instructor, { name: 'hand.ipynb' }).notebook;
    submission.cells[2].source = 'function double(x: number) { return x + x; }\nfunction half(x: number) { return x / 2; }';
    submission.cells[3].source = '// the student deleted the check';
    // A cell of the student's own after exercise b's solution, and a stray copy of a tagged cell.
    submission.cells.splice(6, 0, code('const helper = 1;'), { ...code('console.log(1)'), metadata: exerciseMetadata('check', 'a') });
    const plans = gradingNotebooks(readLayout(instructor, 'hand.ipynb'), submission);
    assert.deepStrictEqual(plans.map((p) => p.exercise.id), ['a', 'b']);
    const [a, b] = plans.map((p) => p.notebook!);
    assert.deepStrictEqual(a.cells.map((c) => gradingInfo(c)!.label), ['setup', 'a-solution', 'a-check', 'a-hidden']);
    assert.match(joinSource(a.cells[1].source), /x \+ x/);
    assert.match(joinSource(a.cells[2].source), /double\(2\) !== 4[\s\S]*half\(3\)/, "the instructor's check, hidden part included");
    assert.match(joinSource(a.cells[3].source), /negative/);
    assert.deepStrictEqual(
      b.cells.map((c) => gradingInfo(c)!.label),
      ['setup', 'b-setup', 'b-solution', 'your cell 1 after b-solution', 'your cell 2 after b-solution', 'b-check'],
    );
    assert.strictEqual(plans[1].extraCells, 2);
    assert.ok(b.cells.every((c) => c.execution_count === null && (c.outputs ?? []).length === 0));
  });

  it('a submission without a solution cell gets no notebook to run', () => {
    const instructor = handMade();
    const submission = studentVersion(instructor, { name: 'hand.ipynb' }).notebook;
    submission.cells.splice(2, 1);
    const [a, b] = gradingNotebooks(readLayout(instructor, 'hand.ipynb'), submission);
    assert.deepStrictEqual([a.notebook, a.missing], [undefined, ['a-solution']]);
    assert.ok(b.notebook);
  });
});

describe('judging an executed exercise', () => {
  const stderr = (text: string): Output => ({ output_type: 'stream', name: 'stderr', text });
  const cellError: Output = { output_type: 'error', ename: 'CellError', evalue: 'the kernel reported this cell as failed', traceback: [] };
  const ran = (role: CellRole, count: number, outputs: Output[] = []) => code('x', role, 'a', { execution_count: count, outputs });
  const never = (role: CellRole) => code('x', role, 'a');

  it('passes only when every test cell ran without a failure', () => {
    const nb = notebook(ran('setup', 1), ran('solution', 2), ran('check', 3), ran('hidden', 4));
    assert.deepStrictEqual(judgeExercise(nb, ['a-check', 'a-hidden']).status, 'passed');
  });

  it("a failed check: 'failed' with the error's first line", () => {
    const trace = stderr("evalmachine.<anonymous>:3\nthrow new Error('x');\n^\n\nError: alpha: got 2 at [0, 1], expected 3\n    at evalmachine.<anonymous>:3:9\n");
    const outcome = judgeExercise(notebook(ran('solution', 1), ran('check', 2, [trace, cellError]), never('hidden')), ['a-check', 'a-hidden']);
    assert.strictEqual(outcome.status, 'failed');
    assert.strictEqual(outcome.message, 'a-check: Error: alpha: got 2 at [0, 1], expected 3');
    assert.deepStrictEqual(outcome.tests.map((t) => t.status), ['failed', 'aborted']);
  });

  it("a test that never ran is 'aborted after an earlier failure', never passed", () => {
    const diagnostic = stderr("3:7 - Cannot find name 'nope'.\n");
    const outcome = judgeExercise(notebook(ran('setup', 1), ran('solution', 2, [diagnostic, cellError]), never('check'), never('hidden')), ['a-check', 'a-hidden']);
    assert.strictEqual(outcome.status, 'aborted');
    assert.strictEqual(outcome.message, "a-check aborted after an earlier failure in a-solution: 3:7 - Cannot find name 'nope'.");
    assert.ok(outcome.tests.every((t) => t.status === 'aborted'));
    // The check passed but the kernel died before the hidden tests: still not passed.
    const died = judgeExercise(notebook(ran('check', 1), never('hidden')), ['a-check', 'a-hidden']);
    assert.deepStrictEqual([died.status, died.message], ['aborted', 'a-hidden aborted: never ran (the kernel stopped before it)']);
    assert.strictEqual(judgeExercise(notebook(ran('check', 1)), ['a-check', 'a-hidden']).status, 'aborted', 'a missing test cell');
  });

  it('reads the first error line from error outputs, TypeErrors and assertion errors', () => {
    assert.strictEqual(errorLine(code('x', 'check', 'a', { outputs: [{ output_type: 'error', ename: 'RangeError', evalue: 'bad\nmore', traceback: [] }] })), 'RangeError: bad');
    assert.strictEqual(errorLine(code('x', 'check', 'a', { outputs: [stderr('at x\nTypeError: f is not a function\n'), cellError] })), 'TypeError: f is not a function');
    assert.strictEqual(errorLine(code('x', 'check', 'a', { outputs: [stderr('AssertionError [ERR_ASSERTION]: 1 == 2\n')] })), 'AssertionError [ERR_ASSERTION]: 1 == 2');
  });

  it('formats a table with the score', () => {
    const report: GradeReport = {
      submission: '/x/s.ipynb',
      instructor: '/x/i.ipynb',
      points: 3,
      maxPoints: 6,
      allPassed: false,
      exercises: [
        { exercise: 'alpha', status: 'passed', points: 3, maxPoints: 3, message: '', tests: [], seconds: 1 },
        { exercise: 'hair', status: 'aborted', points: 0, maxPoints: 3, message: 'hair-check aborted after …', tests: [], seconds: 1 },
      ],
    };
    assert.strictEqual(
      formatGrade(report, '/x'),
      ['s.ipynb (graded against i.ipynb)', 'exercise  result   points  detail', 'alpha     passed   3/3', 'hair      aborted  0/3     hair-check aborted after …', 'score: 3/6 points, 1 of 2 exercises passed'].join('\n'),
    );
  });
});

describe('exercise helpers', () => {
  it('expectClose accepts close values and says what is off and where', () => {
    expectClose('t', tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 2 + 1e-6]]));
    expectClose('n', NaN, NaN);
    expectClose('a', [0.1 + 0.2], [0.3]);
    assert.throws(() => expectClose('alpha', tf.tensor2d([[1, 2], [3, 5]]), tf.tensor2d([[1, 2], [3, 4]])), /^Error: alpha: got 5 at \[1, 1\], expected 4 \(\|difference\| 1\)$/);
    assert.throws(() => expectClose('alpha', tf.zeros([2, 4, 4, 8]), tf.zeros([2, 8]), { hint: 'average over axes 1 and 2' }), /expected shape \[2, 8\], got \[2, 4, 4, 8\] — average over axes 1 and 2/);
    assert.throws(() => expectClose('share', 0, NaN), /share: got 0, expected NaN/);
    assert.throws(() => expectClose('share', undefined, 0.5), /expected the number 0\.5, got undefined \(did the function return its result\?\)/);
    assert.throws(() => expectClose('v', [1, 2, 3], [1, 0, 0]), /got 2 at \[1\], expected 0 .*2 of 3 values are off/);
    expectThrows('t', () => JSON.parse('{'));
    assert.throws(() => expectThrows('lengths', () => 1, 'must throw'), /lengths: expected an error, but nothing was thrown — must throw/);
  });

  it('handMadeModel computes exactly the dense layers it was given', () => {
    const model = handMadeModel([1, 2, 1], [{ weights: [[1], [1]], activation: 'relu' }, { weights: [[1, -2]], bias: [0, 0.5] }]);
    const y = tf.tidy(() => (model.predict(tf.tensor4d([1.5, 0.5, -1, -1], [2, 1, 2, 1])) as tf.Tensor).arraySync());
    assert.deepStrictEqual(y, [[2, -3.5], [0, 0.5]]);
    assert.throws(() => handMadeModel([1, 2, 1], [{ weights: [[1]] }]), /needs a 2 × units weight matrix/);
  });
});

// ---- end to end, with the real kernel ----

const INSTRUCTOR = path.join(projectRoot(), 'notebooks', 'source', '07-exercises', '07-exercises.ipynb');
const STUDENT = path.join(projectRoot(), 'notebooks', 'release', '07-exercises', '07-exercises.ipynb');

/** The student version with each stub replaced by the instructor's solution region (markers left out). */
function pasteSolutions(student: Notebook, instructor: Notebook): Notebook {
  const out: Notebook = JSON.parse(JSON.stringify(student));
  for (const cell of out.cells) {
    const id = gradeId(cell);
    const source = instructor.cells.find((c) => gradeId(c) === id && id?.endsWith('-solution'));
    if (!source) continue;
    const text = joinSource(source.source);
    const bodies = findRegions(text, id!).filter((r) => r.kind === 'solution').map((r) => regionBody(text, r));
    let next = 0;
    const lines = joinSource(cell.source).split('\n').flatMap((line) => (line.trim() === STUB ? bodies[next++] : [line]));
    assert.strictEqual(next, bodies.length, `${id}: ${bodies.length} solution regions but ${next} stubs`);
    cell.source = lines.join('\n');
  }
  return out;
}

/** Replaces text in one cell, failing loudly when the text is not there (so the test cannot pass vacuously). */
function edit(nb: Notebook, id: string, from: string, to: string): void {
  const cell = nb.cells.find((c) => gradeId(c) === id);
  assert.ok(cell && joinSource(cell.source).includes(from), `${id} has no "${from}"`);
  cell.source = joinSource(cell.source).replace(from, to);
}

function statuses(report: GradeReport): Record<string, string> {
  return Object.fromEntries(report.exercises.map((e) => [e.exercise, e.status]));
}

describe('which source a submission is graded against', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-find-source-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('by file name, by its solution cells when renamed, by --assignment; an unknown notebook is named in the error', () => {
    const student = readNotebook(STUDENT);
    const named = path.join(dir, '07-exercises.ipynb');
    writeNotebook(named, student);
    assert.strictEqual(findSource(named, student), INSTRUCTOR);
    const renamed = path.join(dir, 'Alice Smith_1234_attempt.ipynb');
    writeNotebook(renamed, student);
    assert.strictEqual(findSource(renamed, student), INSTRUCTOR);
    assert.strictEqual(findSource(renamed, student, { assignment: '07-exercises' }), INSTRUCTOR);
    assert.strictEqual(findSource(INSTRUCTOR, readNotebook(INSTRUCTOR)), INSTRUCTOR, 'a notebook with solution markers is its own source');
    assert.throws(() => findSource(renamed, student, { assignment: 'nope' }), /--assignment nope: no such assignment in notebooks\/source \(there: 07-exercises\)/);
    const other = notebook(code('1'));
    assert.throws(() => findSource(path.join(dir, 'x.ipynb'), other), /x\.ipynb: cannot tell which assignment it belongs to .*: pass --assignment/);
  });

  it('a folder without notebooks is refused before any work', () => {
    assert.throws(() => findSubmissions(dir + '-missing'), /not a folder of submissions/);
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    assert.throws(() => findSubmissions(empty), /no \.ipynb notebooks in it/);
  });

  it('writes the gradebook as CSV, quoting what needs it', () => {
    assert.strictEqual(
      gradebookCsv([{ student: 'a', notebook: 'a.ipynb', exercise: 'x', status: 'failed', points: 0, max_points: 3, reason: 'x-check: Error: got 1, expected "2"' }]),
      'student,notebook,exercise,status,points,max_points,reason\na,a.ipynb,x,failed,0,3,"x-check: Error: got 1, expected ""2"""\n',
    );
  });
});

describe('grading a class with the real kernel', function () {
  this.timeout(900_000);
  let work: string;
  let grades: ClassGrades;

  before(async function () {
    assert.ok(jupyterBinary(), 'jupyter is not installed: run `bash scripts/setup.sh`');
    ensureKernels({ quiet: true });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-exercises-test-'));
    const submitted = path.join(work, 'submitted');
    const save = (name: string, nb: Notebook) => writeNotebook(path.join(submitted, name), nb);
    // alice hands in the release as it is; bob solves everything (nbgrader's <student>/<assignment>/ layout).
    save('alice/07-exercises/07-exercises.ipynb', readNotebook(STUDENT));
    save('bob/07-exercises/07-exercises.ipynb', pasteSolutions(readNotebook(STUDENT), readNotebook(INSTRUCTOR)));
    // carol (a flat, renamed download): alpha right, shap does not compile, hair passes its check but not the hidden tests.
    const carol = pasteSolutions(readNotebook(STUDENT), readNotebook(INSTRUCTOR));
    edit(carol, 'shap-solution', 'return total / n;', 'return total / nn;');
    edit(carol, 'hair-solution', 'hair / total : NaN', 'hair / total : 0');
    save('carol.ipynb', carol);
    // dave's file is not a notebook at all.
    fs.writeFileSync(path.join(submitted, 'dave.ipynb'), '{ "cells": [ truncated');
    const started = Date.now();
    grades = await gradeFolder(submitted, path.join(work, 'grades'));
    console.log(`      (graded 3 notebooks, 9 exercise kernels, in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  const points = (student: string) => grades.rows.filter((r) => r.student === student).map((r) => [r.exercise, r.status, r.points, r.max_points]);

  it('the release as handed out scores nothing: every check says "not implemented"', () => {
    assert.deepStrictEqual(points('alice'), [['alpha', 'failed', 0, 3], ['shap', 'failed', 0, 3], ['hair', 'failed', 0, 3]]);
    for (const r of grades.rows.filter((r) => r.student === 'alice')) assert.strictEqual(r.reason, `${r.exercise}-check: Error: not implemented`);
  });

  it('the solutions pasted into the release score everything', () => {
    assert.deepStrictEqual(points('bob'), [['alpha', 'passed', 3, 3], ['shap', 'passed', 3, 3], ['hair', 'passed', 3, 3]]);
    const bob = grades.submissions.find((g) => g.student === 'bob')!.report!;
    assert.ok(bob.exercises.every((e) => e.tests.length === 2 && e.tests.every((t) => t.status === 'passed')), 'check and hidden tests both ran');
  });

  it('each exercise on its own: a solution that does not compile aborts only its exercise, hidden tests catch what the check lets through', () => {
    assert.deepStrictEqual(points('carol'), [['alpha', 'passed', 3, 3], ['shap', 'aborted', 0, 3], ['hair', 'failed', 0, 3]]);
    const [, shap, hair] = grades.rows.filter((r) => r.student === 'carol');
    assert.match(shap.reason, /^shap-check aborted after an earlier failure in shap-solution: \d+:\d+ - Cannot find name 'nn'/);
    assert.match(hair.reason, /^hair-hidden: Error: hairShare of an all-negative map: got 0, expected NaN/);
  });

  it('a file that is not a notebook gets a row saying why, and the others are graded', () => {
    assert.deepStrictEqual(points('dave'), [['', 'not graded', 0, '']]);
    assert.match(grades.rows.find((r) => r.student === 'dave')!.reason, /not a readable notebook/);
  });

  it('writes the gradebook CSV and one feedback page per student, without the hidden tests', () => {
    const csv = fs.readFileSync(grades.gradebook, 'utf8').trim().split('\n');
    assert.strictEqual(csv[0], 'student,notebook,exercise,status,points,max_points,reason');
    assert.strictEqual(csv.length, 1 + 3 + 3 + 3 + 1);
    assert.ok(csv.includes('bob,bob/07-exercises/07-exercises.ipynb,alpha,passed,3,3,'), csv.join('\n'));
    assert.deepStrictEqual(grades.feedback.map((f) => path.basename(f)), ['alice.html', 'bob.html', 'carol.html', 'dave.html']);
    const carol = fs.readFileSync(grades.feedback[2], 'utf8');
    assert.match(carol, /carol\.ipynb: 3\/9 points/);
    assert.match(carol, /Cannot find name &#39;nn&#39;|Cannot find name 'nn'/, 'says what went wrong');
    const hidden = joinSource(readNotebook(INSTRUCTOR).cells.find((c) => gradeId(c) === 'hair-hidden')!.source).split('\n').find((l) => l.includes('onlyHair'))!;
    assert.ok(!carol.includes(hidden.trim()), 'no hidden test code on a feedback page');
  });
});

describe('grading: an endless loop', function () {
  this.timeout(300_000);
  it('fails its exercise on the cell timeout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-loop-'));
    try {
      const nb = pasteSolutions(readNotebook(STUDENT), readNotebook(INSTRUCTOR));
      edit(nb, 'hair-solution', '  let hair = 0;', '  while (map.length > 0) {}\n  let hair = 0;');
      const file = path.join(dir, '07-exercises.ipynb');
      writeNotebook(file, nb);
      const report = await gradeNotebook(file, { exercises: ['hair'], cellTimeoutSec: 15 });
      assert.deepStrictEqual(statuses(report), { hair: 'failed' }, formatGrade(report));
      assert.match(report.exercises[0].message, /timed out: a cell ran longer than 15 s/);
      assert.ok(report.exercises[0].tests.every((t) => t.status !== 'passed'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
