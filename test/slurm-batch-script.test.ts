import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { arrayJobProblems, arraySpec, ArrayJob, batchScript, resourceDirectives, shellQuote, taskFiles } from '../lib/executor/slurm/batch-script';

describe('Slurm batch script (no cluster needed)', () => {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-sbatch-'))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const job = (over: Partial<ArrayJob> = {}): ArrayJob => ({
    name: 'train',
    commands: [
      ['/bin/sh', '-c', 'echo "unit 0"'],
      ['/bin/sh', '-c', 'printf "%s|%s\\n" "$1" "$2"; exit 3', 'sh', "it's a $HOME `x`", 'two  spaces'],
    ],
    logDir: path.join(tmp, 'logs'),
    workDir: tmp,
    node: '/opt/node-22/bin/node',
    env: { SMILE_LENS_OUTPUTS: '/shared/out put' },
    ...over,
  });

  it('writes array task ids as the shortest --array spec', () => {
    assert.strictEqual(arraySpec([0, 1, 2, 5, 7, 8]), '0-2,5,7-8');
    assert.strictEqual(arraySpec([4]), '4');
    assert.strictEqual(arraySpec([3, 1, 2, 2]), '1-3');
    assert.throws(() => arraySpec([]), /at least one/);
    assert.throws(() => arraySpec([1, -1]), /integers ≥ 0, got -1/);
  });

  it('quotes words so that bash gives them back unchanged', () => {
    const words = ["it's", 'a b', '$HOME', '`id`', 'x"y', 'plain-word_1.2', '', '*', 'tab\there', 'ü'];
    const r = spawnSync('/bin/bash', ['-c', `printf '%s\\n' ${words.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
    assert.strictEqual(r.stdout, words.map((w) => w + '\n').join(''));
    assert.strictEqual(shellQuote('plain-word_1.2'), 'plain-word_1.2');
  });

  it("puts the job's name, array, per-task logs, folder and resources in #SBATCH lines", () => {
    const text = batchScript(job({ resources: { partition: 'gpu', time: '1-00:00:00', cpusPerTask: 4, mem: '16G', gres: 'gpu:1', account: 'lab', qos: 'normal', extra: ['--constraint=avx2'] } }));
    const directives = text.split('\n').filter((l) => l.startsWith('#SBATCH ')).map((l) => l.slice(8));
    const log = path.join(tmp, 'logs', 'train_%A_%a');
    assert.deepStrictEqual(directives, [
      '--job-name=train',
      '--array=0-1',
      `--output=${log}.out`,
      `--error=${log}.err`,
      `--chdir=${tmp}`,
      '--partition=gpu',
      '--time=1-00:00:00',
      '--cpus-per-task=4',
      '--mem=16G',
      '--gres=gpu:1',
      '--account=lab',
      '--qos=normal',
      '--constraint=avx2',
    ]);
    assert.ok(text.startsWith('#!/bin/bash\n'));
    assert.match(text, /Shared file system assumed/);
    assert.match(text, /^export PATH=\/opt\/node-22\/bin:"\$PATH"$/m);
    assert.match(text, /^export SMILE_LENS_OUTPUTS='\/shared\/out put'$/m);
    assert.deepStrictEqual(resourceDirectives(), []);
  });

  for (const [task, code, out] of [
    [0, 0, 'unit 0\n'],
    [1, 3, "it's a $HOME `x`|two  spaces\n"],
    [5, 2, ''],
  ] as const) {
    it(`run as array task ${task}, runs that unit's command and records exit status ${code}`, () => {
      const file = path.join(tmp, `script-${task}.sh`);
      fs.writeFileSync(file, batchScript(job()));
      fs.mkdirSync(path.join(tmp, 'logs'), { recursive: true });
      const files = taskFiles(path.join(tmp, 'logs'), 'train', '77', task);
      fs.writeFileSync(files.exit, 'stale'); // from an earlier task with the same ids
      const r = spawnSync('/bin/bash', [file], { cwd: tmp, encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_JOB_ID: '77', SLURM_ARRAY_TASK_ID: String(task) } });
      assert.strictEqual(r.status, code, r.stderr);
      assert.strictEqual(r.stdout, out);
      assert.strictEqual(fs.readFileSync(files.exit, 'utf8'), `${code}\n`);
      if (task === 5) assert.match(r.stderr, /no unit for array task 5/);
    });
  }

  it('names the log and exit files of a task as Slurm expands %A_%a', () => {
    assert.deepStrictEqual(taskFiles('/l', 'explain', '123', 4), { stdout: '/l/explain_123_4.out', stderr: '/l/explain_123_4.err', exit: '/l/explain_123_4.exit' });
  });

  it('refuses a job it cannot write correctly, naming each problem', () => {
    const problems = arrayJobProblems(
      job({
        name: 'my job',
        commands: [[]],
        logDir: 'logs',
        workDir: '/with space',
        env: { 'BAD-NAME': 'x' },
        resources: { time: '2 hours', mem: '4 GB', cpusPerTask: 0, gres: 'gpu:1\n#SBATCH --x', extra: ['constraint=avx2'] },
      }),
    );
    for (const expected of [/job name "my job"/, /unit 0: empty command/, /log folder "logs": expected an absolute path/, /working folder "\/with space"/, /"BAD-NAME"/, /--time "2 hours"/, /--mem "4 GB"/, /--cpus-per-task 0/, /--gres/, /sbatch argument "constraint=avx2"/]) {
      assert.ok(problems.some((p) => expected.test(p)), `${expected} in\n${problems.join('\n')}`);
    }
    assert.strictEqual(problems.length, 10);
    assert.throws(() => batchScript(job({ commands: [] })), /cannot write the sbatch script of "train":\n {2}no units/);
    assert.deepStrictEqual(arrayJobProblems(job({ resources: { time: '90', mem: '4000' } })), []);
    for (const time of ['30', '10:00', '1:00:00', '2-0', '2-12:30', '2-12:30:00']) assert.deepStrictEqual(arrayJobProblems(job({ resources: { time } })), [], time);
  });
});
