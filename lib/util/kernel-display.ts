// The one way lib/ code talks to the notebook front end: Jupyter
// display_data / update_display_data messages sent through tslab.
//
// tslab's public `display.raw(type, value)` carries one MIME type per message
// and is documented for strings. A figure needs several representations in
// ONE output (Plotly JSON as an object, a PNG fallback, plain text), so this
// calls the writer tslab itself uses: tslab's jupyter module keeps the
// current cell's `lastWriteDisplayData(content, update)` in a module global.
// The kernel loads that module from this checkout's node_modules (tslab
// prefers a project-local install), so the copy in require.cache is the
// kernel's. Outside a kernel (tests, CLI) there is no writer and nothing is sent.
import { randomBytes } from 'crypto';
import * as path from 'path';

type WriteDisplayData = (
  content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string } },
  update: boolean,
) => void;

const JUPYTER_MODULE = `${path.sep}tslab${path.sep}dist${path.sep}jupyter.js`;

function kernelWriter(): WriteDisplayData | undefined {
  for (const key of Object.keys(require.cache)) {
    if (!key.endsWith(JUPYTER_MODULE)) continue;
    const write = (require.cache[key]?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof write === 'function') return write as WriteDisplayData;
  }
  return undefined;
}

/** True inside a running tslab cell (a notebook or console), false in a terminal or test. */
export function inNotebook(): boolean {
  return kernelWriter() !== undefined;
}

export function newDisplayId(): string {
  return randomBytes(8).toString('hex');
}

export interface DisplayOptions {
  /** Lets a later update replace this output in place. */
  displayId?: string;
  /** Replace the output previously sent with `displayId` instead of adding one. */
  update?: boolean;
  /** Per-MIME-type metadata, e.g. { 'image/png': { width: 400 } }. */
  metadata?: Record<string, unknown>;
}

/**
 * Sends one output with several representations (MIME type → value; JSON
 * types as objects, binary types base64). Returns false when not in a kernel.
 */
export function sendDisplayData(data: Record<string, unknown>, options: DisplayOptions = {}): boolean {
  const write = kernelWriter();
  if (!write) return false;
  if (options.update && !options.displayId) throw new Error('sendDisplayData: update needs a displayId');
  write({ data, metadata: options.metadata ?? {}, transient: options.displayId ? { display_id: options.displayId } : {} }, !!options.update);
  return true;
}
