// Runs shared/reference/torch_step.py (Debian's python3-torch) and reads its
// two figures, so that every benchmark run carries its own PyTorch baseline
// measured on the same machine under the same load.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const TORCH_REFERENCE_ENV = 'SMILE_LENS_TORCH_REF';

export interface TorchOptions {
  batch: number;
  size: number;
  threads: number;
  steps: number;
  shapSamples: number;
}

export type TorchResult =
  | { ok: true; trainStepMs: number; gradBatchMs: number; command: string }
  | { ok: false; reason: string };

export function torchReferencePath(repoRoot: string): string {
  return process.env[TORCH_REFERENCE_ENV] ?? path.resolve(repoRoot, '..', 'shared', 'reference', 'torch_step.py');
}

export function runTorchReference(script: string, o: TorchOptions, python = '/usr/bin/python3'): TorchResult {
  if (!fs.existsSync(script)) return { ok: false, reason: `${script} not found (set ${TORCH_REFERENCE_ENV})` };
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return { ok: false, reason: `${python} cannot import torch; install it with: apt-get install -y python3-torch` };
  }
  const args = [script, '--batch', String(o.batch), '--size', String(o.size), '--threads', String(o.threads), '--steps', String(o.steps), '--shap-samples', String(o.shapSamples)];
  const run = spawnSync(python, args, { encoding: 'utf8', timeout: 30 * 60_000 });
  if (run.status !== 0) return { ok: false, reason: `torch_step.py failed: ${(run.stderr || String(run.error)).trim().split('\n').pop()}` };
  const figure = (name: string) => {
    const m = new RegExp(`^torch ${name} .*median=([0-9.]+)`, 'm').exec(run.stdout);
    return m ? Number(m[1]) : NaN;
  };
  const trainStepMs = figure('train_step_ms');
  const gradBatchMs = figure('grad_batch_ms');
  if (!Number.isFinite(trainStepMs) || !Number.isFinite(gradBatchMs)) return { ok: false, reason: `unexpected torch_step.py output: ${run.stdout.trim()}` };
  return { ok: true, trainStepMs, gradBatchMs, command: `${python} ${args.join(' ')}` };
}
