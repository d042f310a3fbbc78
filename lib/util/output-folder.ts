// Whether a folder can take a command's outputs, found out before any work
// and without creating anything: it must be (or be creatable inside) a
// writable directory on a real file system with room for the estimated
// outputs. /proc and /sys are refused by name first: Node's recursive mkdir
// loops forever there, so asking them is not safe.
import * as fs from 'fs';
import * as path from 'path';

/** Virtual file systems (statfs f_type, linux/magic.h): nothing a run writes belongs there. */
const VIRTUAL_FILE_SYSTEMS: Record<number, string> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0x73636673: 'securityfs',
  0x6165676c: 'pstore',
  0xcafe4a11: 'bpf',
  0x62656570: 'configfs',
  0x1cd1: 'devpts',
  0x19800202: 'mqueue',
  0x42494e4d: 'binfmt_misc',
  0xde5e81e4: 'efivarfs',
  0xf97cff8c: 'selinuxfs',
  0x65735543: 'fusectl',
  0x6e736673: 'nsfs',
};

/** Folders refused by name (their file systems misbehave under mkdir -p, or hold devices). */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];
/** …except these, which are ordinary memory file systems. */
const REAL_UNDER_VIRTUAL = ['/dev/shm'];

const under = (file: string, root: string) => file === root || file.startsWith(root + path.sep);

function virtualRoot(file: string): string | undefined {
  if (REAL_UNDER_VIRTUAL.some((r) => under(file, r))) return undefined;
  return VIRTUAL_ROOTS.find((r) => under(file, r));
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (bytes >= 1000 && i < units.length - 1) {
    bytes /= 1000;
    i++;
  }
  return `${i === 0 ? bytes : bytes.toFixed(bytes < 10 ? 1 : 0)} ${units[i]}`;
}

/**
 * What stops `dir` from taking about `bytes` of outputs, in one sentence
 * naming the folder; undefined when nothing does. Creates nothing, reads
 * only the folder's nearest existing ancestor.
 */
export function outputFolderProblem(dir: string, bytes = 0): string | undefined {
  const target = path.resolve(dir);
  const named = virtualRoot(target);
  if (named) return `${target} is inside ${named}, a virtual file system, not a place for outputs`;
  // The nearest folder that exists: the target, or where it would be made.
  let existing = target;
  let stat: fs.Stats | undefined;
  for (;;) {
    try {
      stat = fs.statSync(existing);
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') return `${target} cannot be made: a part of that path is a file, not a folder`;
      if (code !== 'ENOENT') return `${target} cannot be checked (${code ?? (e as Error).message} at ${existing})`;
      if (path.dirname(existing) === existing) return `${target} cannot be made: no folder above it exists`;
      existing = path.dirname(existing);
    }
  }
  if (!stat.isDirectory()) return existing === target ? `${target} is a file, not a folder` : `${target} cannot be made: ${existing} is a file, not a folder`;
  // Symbolic links may lead from a real file system into a virtual one.
  const real = fs.realpathSync(existing);
  const linked = virtualRoot(real);
  if (linked) return `${target} is inside ${linked} (through ${existing} → ${real}), a virtual file system, not a place for outputs`;
  const fsInfo = fs.statfsSync(real);
  const kind = VIRTUAL_FILE_SYSTEMS[fsInfo.type];
  if (kind) return `${target} is on ${kind}, a virtual file system, not a place for outputs`;
  try {
    fs.accessSync(real, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? 'is on a read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'is not writable by this user' : `cannot be written (${code})`;
    return existing === target ? `${target} ${why}` : `${target} cannot be made: ${existing} ${why}`;
  }
  const free = Number(fsInfo.bavail) * Number(fsInfo.bsize);
  if (bytes > free) return `${target} needs about ${formatBytes(bytes)} for its outputs, but only ${formatBytes(free)} are free there`;
  return undefined;
}
