// A worker without a parent to talk to (a Slurm array task) hands its
// progress messages over through a file: one JSON line per message,
// appended, so the process that follows the task reads only what is new.
// Messages are coalesced to at most a few lines a second (a training step
// reports many times a second), and the last one is always written.
import * as fs from 'fs';
import * as path from 'path';

export interface ProgressAppender {
  write(message: unknown): void;
  /** Writes the message held back by the throttle, if any. */
  close(): void;
}

export function progressAppender(file: string, everyMs = 500, now: () => number = Date.now): ProgressAppender {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let lastAt = -Infinity;
  let held: { message: unknown } | undefined;
  const append = (message: unknown) => {
    fs.appendFileSync(file, `${JSON.stringify(message)}\n`);
    lastAt = now();
    held = undefined;
  };
  return {
    write(message) {
      if (now() - lastAt >= everyMs) append(message);
      else held = { message };
    },
    close() {
      if (held) append(held.message);
    },
  };
}

/** Reads the messages appended to `file` since byte `offset`; a line still being written waits for the next read. */
export function readProgress(file: string, offset: number): { messages: unknown[]; offset: number } {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= offset) return { messages: [], offset };
      const buffer = Buffer.alloc(size - offset);
      fs.readSync(fd, buffer, 0, buffer.length, offset);
      text = buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { messages: [], offset };
    throw e;
  }
  const complete = text.lastIndexOf('\n') + 1;
  const messages: unknown[] = [];
  for (const line of text.slice(0, complete).split('\n')) {
    if (!line) continue;
    try {
      messages.push(JSON.parse(line));
    } catch {
      // A line that is not JSON (a file written by something else) is skipped, not fatal.
    }
  }
  return { messages, offset: offset + Buffer.byteLength(text.slice(0, complete)) };
}
