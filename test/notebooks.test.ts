// Every notebook in notebooks/ (top level, in order) executed headless with
// the small configuration, into a temporary folder (the committed notebooks
// are never written), and checked for any error, failure on stderr or cell
// that never ran. Plus the failure detector itself, on hand-made notebooks.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkExecuted } from '../lib/notebook/check';
import { listNotebooks } from '../lib/notebook/discover';
import { Cell, Notebook, Output } from '../lib/notebook/ipynb';
import { ensureKernels, executeNotebook, jupyterBinary } from '../lib/notebook/jupyter';
import { projectRoot } from '../lib/run/locations';
import { executeOnce, SMALL_ENV } from '../lib/notebook/run-once';
import { PLOTLY_MIME } from '../lib/notebook/display';

function code(source: string, count: number | null, outputs: Output[] = []): Cell {
  return { cell_type: 'code', id: `c${Math.random().toString(36).slice(2, 8)}`, metadata: {}, source, execution_count: count, outputs };
}

function nb(...cells: Cell[]): Notebook {
  return { cells, metadata: {}, nbformat: 4, nbformat_minor: 5 };
}

const stderr = (text: string): Output => ({ output_type: 'stream', name: 'stderr', text });
const stdout = (text: string): Output => ({ output_type: 'stream', name: 'stdout', text });

describe('checkExecuted', () => {
  it('finds nothing in a clean notebook (harmless stderr and empty cells included)', () => {
    const clean = nb(
      code('const a = 1;', 1, [stdout('1\n')]),
      { cell_type: 'markdown', metadata: {}, source: '# title' },
      code('', null),
      code('console.warn("slow backend")', 2, [stderr('Hi, looks like you are running TensorFlow.js in Node.js.\n')]),
    );
    assert.deepStrictEqual(checkExecuted(clean), []);
  });

  it('reports an error output with its name and message', () => {
    const problems = checkExecuted(nb(code('x()', 1, [{ output_type: 'error', ename: 'TypeError', evalue: 'x is not a function', traceback: [] }])));
    assert.strictEqual(problems.length, 1);
    assert.match(problems[0], /cell 1 .*TypeError: x is not a function/);
  });

  it("reports tslab's silent abort: the failing cell's stderr and every cell that never ran", () => {
    const problems = checkExecuted(
      nb(
        code('const ok = 1;', 1),
        code('const x: number = "a";', 2, [stderr("1:7 - Type 'string' is not assignable to type 'number'.\n")]),
        code('console.log(x)', null),
        code('console.log(ok)', null),
      ),
    );
    assert.strictEqual(problems.length, 3, problems.join('\n'));
    assert.match(problems[0], /cell 2 .*TypeScript diagnostic.*: 1:7 - Type 'string'/);
    assert.match(problems[1], /cell 3 .*did not run/);
    assert.match(problems[2], /cell 4 .*did not run/);
  });

  it('reports stack traces, "is not defined" and Python tracebacks on stderr', () => {
    const problems = checkExecuted(
      nb(
        code('boom()', 1, [stderr('Error: boom\n    at evalmachine.<anonymous>:2:7\n')]),
        code('y', 2, [stderr('ReferenceError: y is not defined\n')]),
        code('py', 3, [stderr('Traceback (most recent call last):\n  File "x.py"\n')]),
      ),
    );
    assert.deepStrictEqual(
      problems.map((p) => /stderr shows a (.*?)[:(]/.exec(p)?.[1]),
      ['stack trace', 'undefined name', 'Python traceback'],
    );
  });
});

describe('notebooks (headless, SMILE_LENS_SMALL=1)', function () {
  const notebooks = listNotebooks();

  before(function () {
    assert.ok(jupyterBinary(), 'jupyter is not installed: run `bash scripts/setup.sh` (Debian: jupyter-nbconvert, python3-ipykernel)');
    ensureKernels({ quiet: true });
  });

  it('finds the notebooks, 00-environment first', () => {
    assert.ok(notebooks.length > 0, 'no notebooks/*.ipynb');
    assert.strictEqual(path.basename(notebooks[0]), '00-environment.ipynb');
  });

  for (const file of notebooks) {
    it(`${path.basename(file)} runs without errors`, async function () {
      this.timeout(600_000);
      const run = await executeOnce(file, { env: SMALL_ENV, cellTimeoutSec: 600, timeoutSec: 590 });
      assert.ok(run.notebook, `nbconvert wrote no notebook (exit ${run.status}):\n${run.stderr}`);
      const problems = checkExecuted(run.notebook);
      if (run.status !== 0) problems.push(`nbconvert exited with ${run.status}: ${run.stderr.trim().split('\n').slice(-10).join('\n')}`);
      const kept = path.join(projectRoot(), 'outputs', 'notebook-failures', path.basename(file));
      fs.rmSync(kept, { force: true });
      if (problems.length) {
        // Keep the executed copy to read (the temporary one goes at exit); outputs/ is not committed.
        fs.mkdirSync(path.dirname(kept), { recursive: true });
        if (fs.existsSync(run.output)) fs.copyFileSync(run.output, kept);
        assert.fail(`${path.basename(file)} has ${problems.length} problem(s) (executed copy kept in ${path.relative(projectRoot(), kept)}):\n  ${problems.join('\n  ')}`);
      }
    });
  }

  it('00-environment: the progress line and the figure each stay ONE output in the saved notebook', async function () {
    this.timeout(600_000);
    const file = notebooks.find((f) => path.basename(f) === '00-environment.ipynb');
    assert.ok(file);
    const run = await executeOnce(file, { env: SMALL_ENV, cellTimeoutSec: 600, timeoutSec: 590 });
    const outputs = run.notebook!.cells.flatMap((c) => c.outputs ?? []);
    const progress = outputs.filter((o) => /environment check/.test(String(o.data?.['text/plain'] ?? '')));
    assert.strictEqual(progress.length, 1, `progress outputs: ${JSON.stringify(progress).slice(0, 500)}`);
    assert.match(String(progress[0].data!['text/plain']), /^environment check 200\/200 100%/);
    assert.ok(!outputs.some((o) => o.output_type === 'stream' && /environment check/.test(String(o.text))), 'progress leaked into a stream');
    const figures = outputs.filter((o) => o.data?.[PLOTLY_MIME]);
    assert.strictEqual(figures.length, 1);
    const fig = figures[0].data![PLOTLY_MIME] as { data: { type: string; y: number[] }[]; layout: { title: unknown } };
    assert.strictEqual(typeof fig, 'object', 'the Plotly figure must be a JSON object, not a string');
    assert.strictEqual(fig.data.length, 2);
    assert.ok(Math.abs(Math.max(...fig.data[0].y) - 1) < 0.01, 'sin x peaks at 1');
    assert.ok(typeof fig.layout.title === 'object' && Object.keys(fig.layout.title as object).includes('text'), 'titles go out in plotly.js 3 form ({ text, … })');
    const png = Buffer.from(String(figures[0].data!['image/png']), 'base64');
    assert.strictEqual(png.subarray(1, 4).toString(), 'PNG');
    assert.match(String(figures[0].data!['text/plain']), /^Plotly figure: computed with \w+ \(scatter ×2\), PNG 640×360$/);
  });
  it('03-training re-executed from scratch gives the same numbers (same seeds, fresh run folders)', async function () {
    this.timeout(1_200_000);
    const file = notebooks.find((f) => path.basename(f) === '03-training.ipynb');
    assert.ok(file);
    const figures: string[] = [];
    const words: string[] = [];
    for (const name of ['a', 'b']) {
      const outputs = fs.mkdtempSync(path.join(os.tmpdir(), `smile-lens-repro-${name}-`));
      try {
        const run = await executeNotebook(file, { env: { ...SMALL_ENV, SMILE_LENS_OUTPUTS: outputs }, cellTimeoutSec: 600, timeoutSec: 590 });
        assert.deepStrictEqual(checkExecuted(run.notebook!), []);
        const [runDir] = fs.readdirSync(path.join(outputs, 'runs'));
        const metrics = JSON.parse(fs.readFileSync(path.join(outputs, 'runs', runDir, 'metrics.json'), 'utf8')) as { seeds: { seconds?: number }[] };
        for (const seed of metrics.seeds) delete seed.seconds;
        figures.push(JSON.stringify(metrics));
        const md = run.notebook!.cells.flatMap((c) => c.outputs ?? []).find((o) => o.data?.['text/markdown']);
        words.push(String(md?.data?.['text/markdown'] ?? ''));
      } finally {
        fs.rmSync(outputs, { recursive: true, force: true });
      }
    }
    assert.ok(words[0].includes('Validation accuracy'), words[0]);
    assert.strictEqual(words[1], words[0]);
    assert.strictEqual(figures[1], figures[0]);
  });
});
