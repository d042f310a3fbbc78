// The registry of job kinds a worker process can run. Each kind lives beside
// the stage it belongs to; this list only names them, loaded on demand so a
// worker starts without loading every stage.
import type { JobKind } from './job';

const KINDS: Record<string, () => JobKind<never, unknown>> = {
  'train-seed': () => require('../pipeline/train-run').trainSeedJob,
  'explain-seed': () => require('../pipeline/explain-run').explainSeedJob,
  'audit-seed': () => require('../pipeline/audit-run').auditSeedJob,
  'sanity-seed': () => require('../pipeline/sanity-checks').sanitySeedJob,
  'baseline-study-seed': () => require('../pipeline/baseline-study').baselineStudySeedJob,
};

export function jobKindNames(): string[] {
  return Object.keys(KINDS);
}

export function jobKind(name: string): JobKind<unknown, unknown> {
  const load = KINDS[name];
  if (!load) throw new Error(`unknown job kind "${name}" (known: ${jobKindNames().join(', ')})`);
  return load() as JobKind<unknown, unknown>;
}
