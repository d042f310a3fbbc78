// `smile-lens status --run <dir>`: how far a run has come, per seed and
// stage, from its files (whichever executor ran it); and, when it was run on
// Slurm, every job it submitted with its tasks' live state, each failed
// task's log, and the command that re-runs what failed.
import * as path from 'path';
import { defineCommand } from '../command';
import { bool, text } from '../../config/schema';
import { shellQuote } from '../../executor/slurm/batch-script';
import { SlurmClient } from '../../executor/slurm/slurm-client';
import { folderStatus } from '../../pipeline/run-status';
import { liveLine } from '../../progress/live-line';
import { formatDuration } from '../../progress/format';
import { displayPath } from '../../run/locations';
import { slurmFolderOf } from '../../run/run-folder';
import { CHAIN_FLAG, LIVE, outstandingFailures, submissionStates, SubmissionState, taskFailure } from '../../worker/slurm-executor';

/** "2 completed, 1 running" */
function counts(x: SubmissionState): string {
  const n = new Map<string, number>();
  for (const u of x.units) n.set(u.state, (n.get(u.state) ?? 0) + 1);
  return [...n].map(([state, k]) => (x.units.length === 1 ? state : `${k} ${state}`)).join(', ');
}

/** Rows of strings as aligned columns under their names. */
function textTable(rows: Record<string, string>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `  ${cells.map((v, i) => v.padEnd(width[i])).join('  ')}`.trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => r[c])))].join('\n');
}

/** A unit in words, its paths shown from the run folder ("training seed 1 of <dir>/bias-sweep/p-0.00" → "… of bias-sweep/p-0.00"). */
function fromRun(what: string, dir: string): string {
  const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return what.replace(new RegExp(` of ${escaped}$`), '').replace(new RegExp(`${escaped}/`, 'g'), '');
}

function describe(x: SubmissionState, width: number, dir: string): string {
  const r = x.record;
  const what = r.role === 'units' ? `${r.units.length} task${r.units.length === 1 ? '' : 's'} ${r.kind}` : r.afterOk ? `the command again after job ${r.afterOk.join(' and ')} (merges, goes on)` : 'the command (the chain\'s first job)';
  return `job ${r.jobId.padEnd(width)}  ${what}: ${counts(x)}${r.role === 'units' ? ` (${r.what.map((w) => fromRun(w, dir)).join('; ')})` : ''}`;
}

export default defineCommand({
  name: 'status',
  compute: false,
  options: {
    run: text({ describe: 'a run folder (made by `smile-lens train` or the main job), or a bias-sweep folder', required: true, placeholder: '<folder>' }),
    wait: bool({ describe: 'follow the run\'s Slurm jobs until none is queued or running' }),
    cancel: bool({ describe: 'cancel every queued or running Slurm job of the run (scancel)' }),
  },
  details:
    'Per seed: training (accuracy when done, else the last checkpoint\'s epoch), explanations per method, audit and sanity checks; then the run\'s nested runs.\n' +
    'Exit status 1 when a Slurm task failed and no later job re-ran it.\n' +
    'Example: smile-lens status --run outputs/runs/synthetic-small-64px-3ep-2seeds --wait',
  async run(o) {
    const dir = path.resolve(o.run);
    const folder = slurmFolderOf(dir);
    const records = folder.readSubmissions();
    let states: SubmissionState[] = [];
    let unreachable: string | undefined;
    if (records.length) {
      const client = new SlurmClient();
      const poll = async () => (states = await submissionStates(folder, client));
      try {
        await poll();
      } catch (e) {
        // The files still say how far the run has come.
        unreachable = `${records.length} Slurm submission${records.length === 1 ? '' : 's'} in ${displayPath(folder.submissionsFile)}, but Slurm cannot be asked (${(e as Error).message.split('\n')[0]}): run this on a login node of the cluster`;
      }
      if (unreachable && (o.wait || o.cancel)) throw new Error(unreachable);
      if (o.cancel) {
        const live = states.filter((x) => x.units.some((u) => LIVE.has(u.state)));
        if (live.length) await client.cancel(live.map((x) => x.record));
        console.log(live.length ? `cancelled job${live.length === 1 ? '' : 's'} ${live.map((x) => x.record.jobId).join(', ')}` : 'no job of this run is queued or running');
        await poll();
      }
      if (o.wait) {
        const line = liveLine();
        const started = Date.now();
        let last = '';
        // A chain's link submits the next jobs before it ends: read the list again until nothing is live.
        while (states.some((x) => x.units.some((u) => LIVE.has(u.state)))) {
          const live = states.filter((x) => x.units.some((u) => LIVE.has(u.state)));
          last = `${live.map((x) => `job ${x.record.jobId} ${x.record.role === 'chain' ? 'chain' : x.record.kind} ${counts(x)}`).join(' | ')} | ${formatDuration((Date.now() - started) / 1000)}`;
          line.update(last);
          await new Promise((r) => setTimeout(r, 2000));
          await poll();
        }
        line.done(last ? `no job of this run is queued or running any more (${formatDuration((Date.now() - started) / 1000)})` : undefined);
      }
    }

    for (const s of folderStatus(dir)) {
      console.log(`${s.label}: ${displayPath(s.dir)}${s.files.length ? ` (${s.files.join(', ')})` : ''}`);
      console.log(textTable(s.rows));
    }
    if (unreachable) console.log(unreachable);
    if (!states.length) return 0;
    console.log(`Slurm jobs (${displayPath(folder.submissionsFile)}):`);
    const width = Math.max(...states.map((x) => x.record.jobId.length));
    for (const x of states) console.log(`  ${describe(x, width, dir)}`);
    const failures = outstandingFailures(states);
    if (!failures.length) return 0;
    console.log(`failed (${failures.length}):`);
    for (const f of failures) console.log(`  ${fromRun(f.what, dir)}: ${taskFailure(f.status).replace(/\n/g, '\n  ')}`);
    const command = failures[failures.length - 1].record.command.filter((a) => a !== CHAIN_FLAG);
    console.log(`to re-run what failed (finished units are kept, only the others are submitted again):\n  cd ${shellQuote(failures[failures.length - 1].record.workDir)} && smile-lens ${command.map(shellQuote).join(' ')}`);
    return 1;
  },
});
