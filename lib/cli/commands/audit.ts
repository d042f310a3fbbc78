// `smile-lens audit`: experiment 1 of the bias audit — where the explained
// maps of a run put their mass (regions, face metrics, deletion check).
import * as path from 'path';
import type { Command, ParsedOptions } from '../command';
import { chooseBackend, describeBackend } from '../../backend/select';
import { AUDIT_DEFAULTS, AuditOptions, auditFolder, auditRun, AuditResult } from '../../pipeline/audit-run';
import { METHODS, Method } from '../../pipeline/explain-run';
import { auditInWords } from '../../pipeline/audit-tables';

export const AUDIT_OPTIONS: Command['options'] = [
  { name: 'methods', kind: 'list', value: '<gradcam,gradientshap>', description: 'which explanations to audit', default: [...METHODS] },
  { name: 'deletion', kind: 'boolean', description: 'run the deletion check (use --no-deletion to skip it)', default: true },
  { name: 'random-draws', kind: 'number', value: '<n>', description: 'random pixel orders in the deletion check\'s control', default: AUDIT_DEFAULTS.randomDraws },
  { name: 'seeds', kind: 'list', value: '<1,2,…>', description: 'which of the run\'s seeds (default: all finished ones)' },
  { name: 'jobs', kind: 'number', value: '<n>', description: 'seeds audited at once in worker processes (default: cores)' },
];

export function auditOptions(o: ParsedOptions): AuditOptions {
  const methods = ((o.methods as string[] | undefined) ?? [...METHODS]).map((m) => m.toLowerCase().replace(/[-_ ]/g, ''));
  for (const m of methods) if (!(METHODS as readonly string[]).includes(m)) throw new Error(`--methods expects gradcam and/or gradientshap, got "${m}"`);
  const draws = (o['random-draws'] as number | undefined) ?? AUDIT_DEFAULTS.randomDraws;
  if (!Number.isInteger(draws) || draws < 1) throw new Error(`--random-draws expects a whole number ≥ 1, got ${draws}`);
  return { ...AUDIT_DEFAULTS, methods: methods as Method[], deletion: o.deletion !== false, randomDraws: draws };
}

/** Audits a run and prints where the results are and the headline shares. */
export async function auditCommand(runDir: string, o: ParsedOptions, backendName: string): Promise<AuditResult> {
  const seeds = o.seeds ? (o.seeds as string[]).map(Number) : undefined;
  const result = await auditRun(runDir, auditOptions(o), { backend: backendName, jobs: o.jobs as number | undefined, seeds });
  console.log(auditInWords(result.summary.rows).replace(/\*\*/g, ''));
  console.log(`audited ${result.summary.seeds.length} seed(s), ${result.records.length} records: ${auditFolder(runDir)} (records.csv, summary.csv and .json)`);
  return result;
}

const command: Command = {
  name: 'audit',
  summary: 'where the explanations of a run look: region shares, face metrics, deletion check (CSV + JSON)',
  options: [{ name: 'run', kind: 'string', value: '<folder>', description: 'a run folder made by `smile-lens train` and `explain`', required: true }, ...AUDIT_OPTIONS],
  details:
    'Writes <run>/audit/records.csv|json (one line per image, method, seed and metric) and summary.csv|json\n' +
    '(mean ± 95% CI over seeds per expression and overall). Resumable per seed.\n' +
    'Example: smile-lens audit --run outputs/runs/synthetic-cfd-128px-12ep-5seeds --methods gradcam,gradientshap',
  async run(o) {
    const backend = await chooseBackend(o.backend as string | undefined);
    console.log(describeBackend(backend));
    await auditCommand(path.resolve(o.run as string), o, backend.name);
  },
};
export default command;
