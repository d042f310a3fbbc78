// One line of status that changes in place: in a notebook, a display output
// replaced through update_display_data (the saved .ipynb keeps only the last
// state, not one line per update); in a terminal, lib/cli's status line
// (rewritten with \r on a TTY, throttled to occasional lines in logs).
import { terminalLine, TerminalLine } from './terminal-line';
import { noteState } from './last-state';
import { inNotebook, newDisplayId, sendDisplayData } from '../util/kernel-display';

export interface LiveLine {
  /** Replace the line; `html` is the notebook's rich form (text is always sent too). */
  update(text: string, html?: string): void;
  /** The final state, shown whatever the throttle says. */
  done(text?: string, html?: string): void;
}

export interface LiveLineOptions {
  /** Fewest milliseconds between two notebook updates (default 250). */
  minIntervalMs?: number;
  /** Force a mode instead of detecting it (tests). */
  mode?: 'notebook' | 'terminal';
  stream?: NodeJS.WriteStream;
  now?: () => number;
}

export function liveLine(options: LiveLineOptions = {}): LiveLine {
  const mode = options.mode ?? (inNotebook() ? 'notebook' : 'terminal');
  const line = mode === 'notebook' ? notebookLine(options) : terminalLiveLine(options);
  // An interrupted command says where its lines stood (lib/cli/main.ts).
  const owner = {};
  return {
    update(text, html) {
      noteState(owner, text);
      line.update(text, html);
    },
    done(text, html) {
      noteState(owner, undefined);
      line.done(text, html);
    },
  };
}

function notebookLine(options: LiveLineOptions): LiveLine {
  const id = newDisplayId();
  const now = options.now ?? Date.now;
  const every = options.minIntervalMs ?? 250;
  let sent = false;
  let lastAt = -Infinity;
  let pending: { text: string; html?: string } | undefined;
  const send = (text: string, html?: string) => {
    const data: Record<string, unknown> = { 'text/plain': text };
    if (html) data['text/html'] = html;
    sendDisplayData(data, { displayId: id, update: sent });
    sent = true;
    lastAt = now();
    pending = undefined;
  };
  return {
    update(text, html) {
      // No timers: a trailing timer could fire after the cell has finished.
      if (!sent || now() - lastAt >= every) send(text, html);
      else pending = { text, html };
    },
    done(text, html) {
      if (text !== undefined) send(text, html);
      else if (pending) send(pending.text, pending.html);
    },
  };
}

// Live lines open at once on one stream (stages the main job runs side by
// side) share its status line, each line's text in turn, instead of
// overwriting one another.
const boards = new Map<NodeJS.WriteStream, { line: TerminalLine; texts: Map<number, string> }>();
let nextLine = 0;

function terminalLiveLine(options: LiveLineOptions): LiveLine {
  const stream = options.stream ?? process.stderr;
  let board = boards.get(stream);
  if (!board) boards.set(stream, (board = { line: terminalLine(stream), texts: new Map() }));
  const { line, texts } = board;
  const id = nextLine++;
  const show = () => line.update([...texts.values()].join(' ‖ '));
  let last = '';
  return {
    update(text) {
      last = text;
      texts.set(id, text);
      show();
    },
    done(text) {
      texts.delete(id);
      line.done();
      const final = text ?? last;
      if (final) stream.write(`${final}\n`);
      if (texts.size) show();
    },
  };
}
