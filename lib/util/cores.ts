// How many processes at once by default: one per core.
import * as os from 'os';

export function defaultJobs(): number {
  return os.availableParallelism?.() ?? os.cpus().length;
}
