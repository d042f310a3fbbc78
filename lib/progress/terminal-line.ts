// A status line for long work in a terminal: rewritten in place on a TTY,
// and throttled to one line every few seconds in logs (CI), so progress
// never becomes hundreds of lines.
export interface TerminalLine {
  update(text: string): void;
  /** A permanent message above the status line. */
  log(text: string): void;
  done(): void;
}

export function terminalLine(stream: NodeJS.WriteStream = process.stderr, everyMs = 10_000): TerminalLine {
  const tty = !!stream.isTTY;
  let last = '';
  let lastAt = 0;
  const clear = () => tty && last && stream.write('\r\x1b[K');
  return {
    update(text) {
      if (tty) {
        const width = (stream.columns ?? 120) - 1;
        stream.write(`\r\x1b[K${text.length > width ? text.slice(0, width - 1) + '…' : text}`);
        last = text;
      } else if (Date.now() - lastAt >= everyMs) {
        stream.write(`${text}\n`);
        lastAt = Date.now();
      }
    },
    log(text) {
      clear();
      stream.write(`${text}\n`);
      if (tty && last) stream.write(last);
    },
    done() {
      clear();
      last = '';
    },
  };
}
