// The main job (`smile-lens experiment`): every stage of a run, each started
// as soon as what it reads exists, all handing their units to one executor
// whose lanes they share — so while one stage waits for its last seed, the
// others keep the cores busy:
//
//   data ─┬─ training ─┬─ explanations ── audit ──┐
//         │            └─ sanity checks           │
//         └─ masked data and training ────────────┴─ masked explanations and audit
//   planted-bias sweep (its own data sets)
//
// Each stage resumes on its own, so running the job again continues where it
// stopped. The stage table (stage-table.ts) says where the time went.
import type { AuditExperiment, RunConfig } from '../config/run-config';
import { displayPath } from '../run/locations';
import { Executor, withPriority } from '../worker/executor';
import * as stages from './stages';
import { StageTable } from './stage-table';


export interface MainJobOptions {
  executor: Executor;
  /** How many units the executor runs at once (the ideal's divisor). */
  lanes: number;
  skip?: readonly AuditExperiment[];
  log?: (text: string) => void;
  /** Called as each stage ends, with its wall seconds. */
  onStage?: (name: string, seconds: number) => void;
}

export interface MainJobResult {
  table: StageTable;
  /** Every stage that ran, in the order above, with its wall seconds. */
  times: { name: string; seconds: number }[];
  report: { file: string; figures: number };
}

/** Runs every stage of the run (resuming what is done) and writes the report; a failed stage stops only what depends on it. */
export async function mainJob(config: RunConfig, options: MainJobOptions): Promise<MainJobResult> {
  const log = options.log ?? ((t: string) => console.log(t));
  const skip = options.skip ?? [];
  const table = new StageTable(options.lanes);
  const started: Promise<unknown>[] = [];
  const stage = <T>(name: string, after: Promise<unknown>[], priority: number, work: (ctx: { executor: Executor; log: typeof log }) => Promise<T>): Promise<T> => {
    const account = table.account(name);
    const previous = options.executor.oneStageAtATime ? started.slice(-1) : [];
    const done = Promise.all([...after, ...previous]).then(() => table.time(name, withPriority(options.executor, priority), (executor) => work({ executor, log })));
    done.then(() => options.onStage?.(name, account.seconds), () => undefined);
    started.push(done);
    return done;
  };

  const data = stage('data', [], 0, async () => {
    const made = await stages.ensureData(config);
    log(made.generated ? `generated ${displayPath(made.folder)} in ${made.seconds.toFixed(0)} s` : `data: ${displayPath(made.folder)}`);
    // The run's settings and splits, read by the stages that start beside training.
    await stages.prepare(config);
  });
  // Waiting units start by priority: the long ones (a seed's training at
  // the run's size) first, so that the short ones (explaining, auditing,
  // the sweep's small networks) fill the lanes at the end instead of one
  // long seed running alone.
  const [LONG, SHORT] = [2, 1];
  const training = stage('training', [data], LONG, (ctx) => stages.train(config, ctx));
  const explained = stage('explanations', [training], SHORT, (ctx) => stages.explain(config, ctx));
  const audited = stage('audit (experiment 1)', [explained], SHORT, (ctx) => stages.audit(config, ctx));
  // The sweep draws its own data sets: it starts at once, its units using the lanes the data stage leaves idle.
  if (!skip.includes('bias-sweep')) stage('planted-bias sweep (experiment 2)', [], SHORT, (ctx) => stages.plantedBiasSweep(config, ctx));
  // Each seed's check trains a random-label model: long units.
  if (!skip.includes('sanity')) stage('sanity checks (experiment 3)', [training], LONG, (ctx) => stages.sanity(config, ctx));
  if (!skip.includes('retrain-masked')) {
    stage('masked retraining (experiment 4)', [data], SHORT, async (ctx) => {
      await stages.trainMasked(config, { ...ctx, executor: withPriority(ctx.executor, LONG) });
      // Explained and audited as the original was: its explanations and audit first.
      await audited;
      return stages.retrainMasked(config, ctx);
    });
  }

  const outcomes = await Promise.allSettled(started);
  // A stage that waited on a failed one fails with the same error: say each once.
  const errors = [...new Set(outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : [])))];
  // One error keeps its class (a Slurm chain's ChainContinues is not a failure).
  if (errors.length === 1) throw errors[0];
  if (errors.length) throw new Error(errors.map((e) => e.message).join('\n'));
  const report = await stages.report(config);
  return { table, times: table.stages.map((s) => ({ name: s.name, seconds: s.seconds })), report };
}
