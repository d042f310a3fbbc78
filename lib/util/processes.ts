// Linux processes by their ids, read from /proc: whether one still runs, its
// name, its descendants, who holds a unix socket; and ending one politely
// (SIGTERM, then SIGKILL). For daemons that fork away from their parent,
// which only a pid file or /proc can find again.
import * as fs from 'fs';

/** A process that exists and is not a zombie (an ended process its parent has not reaped yet). */
export function processAlive(pid: number): boolean {
  const stat = readProc(`${pid}/stat`);
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

/** The process's name (/proc/<pid>/comm), '' when it is gone. */
export function processName(pid: number): string {
  return readProc(`${pid}/comm`).trim();
}

function readProc(file: string): string {
  try {
    return fs.readFileSync(`/proc/${file}`, 'utf8');
  } catch {
    return '';
  }
}

function allPids(): number[] {
  return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
}

/** `roots` and every process below them. */
export function withDescendants(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const stat = readProc(`${pid}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const visit = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) visit(c);
  };
  roots.forEach(visit);
  return out;
}

/** Processes named `name` holding a unix socket bound under folder `dir`. */
export function processesWithSocketsUnder(name: string, dir: string): number[] {
  const inodes = new Set<string>();
  for (const line of readProc('net/unix').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/); // Num RefCount Protocol Flags Type St Inode Path
    if (f.length >= 8 && f[7].startsWith(dir + '/')) inodes.add(f[6]);
  }
  if (inodes.size === 0) return [];
  return allPids().filter((pid) => {
    if (processName(pid) !== name) return false;
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      return false;
    }
    return fds.some((fd) => {
      let link = '';
      try {
        link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return false;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      return !!m && inodes.has(m[1]);
    });
  });
}

/** Resolves once `test` holds; rejects after `timeoutMs`, naming what it waited for. */
export async function waitUntil(what: string, test: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await test()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** SIGTERM, then SIGKILL if the process has not ended within `graceMs`. */
export async function endProcess(pid: number, graceMs = 10_000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // gone already
  }
  try {
    await waitUntil(`process ${pid} to end`, () => !processAlive(pid), graceMs);
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
    await waitUntil(`process ${pid} to end after SIGKILL`, () => !processAlive(pid), 5_000);
  }
}
