// The PyTorch reference (scripts/bench/torch_reference.py, run with Debian's
// python3-torch) kept running beside the benchmark, so that its steps can be
// interleaved with ours (A/B/A/B) on a machine whose load changes by the minute.
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { projectRoot } from '../run/locations';

export const TORCH_PYTHON_ENV = 'SMILE_LENS_TORCH_PYTHON';

/** The reference script, in the repository (found from the root: this file may run from .build/). */
export const TORCH_REFERENCE_SCRIPT = path.join(projectRoot(), 'scripts', 'bench', 'torch_reference.py');

export type WorkloadKind = 'train' | 'grad';

/**
 * glibc's malloc hands PyTorch's large tensors fresh pages from mmap on every
 * step and returns them after; on this kind of (virtual) machine the page
 * faults dominate its step (measured ~1070 vs ~140 ms, batch 32, 128 px, 1
 * thread). These settings keep freed memory for reuse, as a long-lived
 * training process would want; the benchmark reports PyTorch both ways.
 */
export const TUNED_MALLOC_ENV: Record<string, string> = {
  MALLOC_MMAP_THRESHOLD_: String(2 ** 32),
  MALLOC_TRIM_THRESHOLD_: String(2 ** 32),
};

export interface TorchRequest {
  workload: WorkloadKind;
  batch: number;
  size: number;
  steps: number;
  warmup?: number;
}

export class TorchReference {
  private readonly lines: AsyncIterableIterator<string>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly version: string,
    readonly command: string,
    lines: AsyncIterableIterator<string>,
  ) {
    this.lines = lines;
  }

  /** Starts the reference with `threads` threads, or says why it cannot run. */
  static async start(
    threads: number,
    tunedMalloc = false,
    python = process.env[TORCH_PYTHON_ENV] ?? '/usr/bin/python3',
  ): Promise<TorchReference | { reason: string }> {
    if (!fs.existsSync(TORCH_REFERENCE_SCRIPT)) return { reason: `${TORCH_REFERENCE_SCRIPT} not found` };
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      return { reason: `${python} cannot import torch; install it with: apt-get install -y python3-torch (or set ${TORCH_PYTHON_ENV})` };
    }
    const args = [TORCH_REFERENCE_SCRIPT, '--serve', '--threads', String(threads)];
    const env = { ...process.env, ...(tunedMalloc ? TUNED_MALLOC_ENV : {}) };
    const child = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) return { reason: `torch_reference.py exited: ${stderr.trim().split('\n').pop()}` };
    const hello = JSON.parse(first.value) as { torch: string };
    const prefix = tunedMalloc ? Object.entries(TUNED_MALLOC_ENV).map(([k, v]) => `${k}=${v} `).join('') : '';
    return new TorchReference(child, hello.torch, `${prefix}${python} ${args.map((a) => path.relative(process.cwd(), a) || a).join(' ')}`, lines);
  }

  /** Per-step times in ms of `steps` steps after `warmup` untimed ones. */
  async time(request: TorchRequest): Promise<number[]> {
    this.child.stdin.write(JSON.stringify({ warmup: 1, ...request }) + '\n');
    const next = await this.lines.next();
    if (next.done) throw new Error('torch_reference.py exited early');
    const answer = JSON.parse(next.value) as { times_ms?: number[]; error?: string };
    if (!answer.times_ms) throw new Error(`torch_reference.py: ${answer.error}`);
    return answer.times_ms;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}
