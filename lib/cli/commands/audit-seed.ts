// `smile-lens audit-seed`: one seed of `audit`, in a worker process.
import type { Command } from '../command';
import { chooseBackend } from '../../backend/select';
import { AUDIT_DEFAULTS, AuditOptions, auditSeed } from '../../pipeline/audit-run';

const command: Command = {
  name: 'audit-seed',
  summary: 'audit one seed of a run (used by `audit`\'s worker processes)',
  options: [
    { name: 'run', kind: 'string', value: '<folder>', description: 'the run folder', required: true },
    { name: 'seed', kind: 'number', value: '<n>', description: 'which seed', required: true },
    { name: 'options', kind: 'string', value: '<json>', description: 'audit options as JSON (see `audit`)', default: '{}' },
  ],
  async run(o) {
    await chooseBackend(o.backend as string | undefined);
    const options: AuditOptions = { ...AUDIT_DEFAULTS, ...(JSON.parse(o.options as string) as Partial<AuditOptions>) };
    const records = await auditSeed(o.run as string, o.seed as number, options, (p) => process.send?.(p));
    if (!process.send) console.log(`seed ${o.seed}: ${records.length} audit records`);
  },
};
export default command;
