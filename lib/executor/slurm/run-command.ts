// Runs a command and collects its output; a non-zero exit is a result (the
// caller decides), not finding the command or a time-out is an error.
import { execFile } from 'child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCommand(command: string, args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    execFile(command, args, { env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: options.timeoutMs ?? 120_000 }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const code = (error as NodeJS.ErrnoException).code as unknown;
      if (typeof code === 'number') return resolve({ code, stdout, stderr });
      if (code === 'ENOENT') return reject(Object.assign(new Error(`${command}: not found on PATH`), { code }));
      reject(new Error(`\`${command} ${args.join(' ')}\`: ${error.message}`)); // killed by the time-out or a signal
    });
  });
}
