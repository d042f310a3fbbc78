// What a worker process used: its start-up (node, TypeScript, the backend)
// apart from its job, CPU time, peak resident memory (sampled RSS and the
// kernel's high-water mark) and the time spent in the work itself. Sent with
// the result (job.ts's WorkerMessage), so the main job can print every
// worker's peak memory and each stage's efficiency.
import * as fs from 'fs';
import { computeTallies } from '../util/compute-meter';
import type { WorkerUsage } from './job';

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** The kernel's peak resident set of this process (VmHWM), bytes; undefined off Linux. */
export function residentHighWaterMark(): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts measuring at the job's start; `finish()` gives the usage at its end. */
export function usageMeter(sampleMs = 500): { finish(): WorkerUsage } {
  const startSeconds = process.uptime();
  const startCpuSeconds = cpuSeconds(process.cpuUsage());
  let rssPeak = process.memoryUsage.rss();
  const timer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), sampleMs);
  timer.unref();
  return {
    finish() {
      clearInterval(timer);
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      return {
        startSeconds,
        startCpuSeconds,
        jobSeconds: process.uptime() - startSeconds,
        cpuSeconds: cpuSeconds(process.cpuUsage()),
        rssPeak,
        vmHwm: residentHighWaterMark(),
        compute: computeTallies(),
      };
    },
  };
}
