// What every stage is given besides its configuration: who runs its units of
// work (an executor: worker processes here, or Slurm jobs) and where its
// permanent messages go. Notebooks pass nothing and get the defaults.
import type { Executor } from '../worker/executor';
import { localExecutor } from '../worker/local-executor';

export interface StageContext {
  executor: Executor;
  /** Permanent messages (a seed finished); progress goes to the live line. */
  log: (text: string) => void;
}

export function stageContext(given: Partial<StageContext> = {}): StageContext {
  return { executor: given.executor ?? localExecutor(), log: given.log ?? ((t) => console.log(t)) };
}
