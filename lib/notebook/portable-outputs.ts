// Committed notebooks are read on other machines: their outputs must not
// carry the absolute paths of the machine that executed them (a data folder,
// a run folder, a home directory) nor noise from libraries (TensorFlow.js's
// "Hi, looks like you are running TensorFlow.js in Node.js" banner).
// `portableOutputs` rewrites paths under the project root to paths relative
// to it, as a reader would type them from the repository root (the kernel's
// working directory); `machineTraces` lists what is left, for the test that
// scans the committed notebooks.
import * as os from 'os';
import { joinSource, Notebook, Output } from './ipynb';
import { projectRoot } from '../run/locations';

/** Output data that is text a reader sees (binary images are base64 and skipped). */
function isTextKey(key: string): boolean {
  return !key.startsWith('image/') || key === 'image/svg+xml';
}

function mapStrings(value: unknown, fix: (s: string) => string): unknown {
  if (typeof value === 'string') return fix(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fix));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fix)]));
  return value;
}

function mapOutput(o: Output, fix: (s: string) => string): Output {
  const out: Output = { ...o };
  if (out.text !== undefined) out.text = mapStrings(out.text, fix) as Output['text'];
  if (out.evalue !== undefined) out.evalue = fix(out.evalue);
  if (out.traceback) out.traceback = out.traceback.map(fix);
  if (out.data) out.data = Object.fromEntries(Object.entries(out.data).map(([k, v]) => [k, isTextKey(k) ? mapStrings(v, fix) : v]));
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A copy of the notebook whose outputs name files relative to the project
 * root: "<root>/data/x" → "data/x", "<root>" alone → ".", and the home
 * directory → "~". Sources are never changed.
 */
export function portableOutputs(nb: Notebook, root = projectRoot()): Notebook {
  const under = new RegExp(`${escapeRegExp(root.replace(/\/+$/, ''))}(/|(?![\\w.-]))`, 'g');
  const home = os.homedir();
  const homeRe = home && home !== '/' ? new RegExp(`${escapeRegExp(home)}(?=/)`, 'g') : undefined;
  const fix = (s: string) => {
    let out = s.replace(under, (_, slash: string) => (slash === '/' ? '' : '.'));
    if (homeRe) out = out.replace(homeRe, '~');
    return out;
  };
  return { ...nb, cells: nb.cells.map((c) => (c.outputs ? { ...c, outputs: c.outputs.map((o) => mapOutput(o, fix)) } : c)) };
}

/** An absolute POSIX path (two segments at least) starting a token, a Windows drive path, or a file:// URL. */
const ABSOLUTE_PATH = /(?:^|[\s"'(=>[,])((?:\/[\w.-]+){2,}\/?|[A-Za-z]:\\[\w.-]+|file:\/\/\/\S+)/;
/** Device and kernel files are the same on every Linux machine ("no /dev/nvidia0"): not a machine's path. */
const SYSTEM_PATH = /^\/(dev|proc|sys)\//;
const BANNERS: RegExp[] = [/Hi, looks like you are running TensorFlow\.js in Node\.js/];

/** "cell 3: /work/x/data (absolute path)" for every absolute path or banner left in the outputs. */
export function machineTraces(nb: Notebook): string[] {
  const found: string[] = [];
  nb.cells.forEach((cell, index) => {
    for (const o of cell.outputs ?? []) {
      const texts: string[] = [];
      mapOutput(o, (s) => (texts.push(s), s));
      for (const text of texts) {
        for (const line of joinSource(text).split('\n')) {
          const path = ABSOLUTE_PATH.exec(line);
          if (path && !SYSTEM_PATH.test(path[1])) found.push(`cell ${index + 1}: ${path[1].slice(0, 80)} (an absolute path)`);
          const banner = BANNERS.find((b) => b.test(line));
          if (banner) found.push(`cell ${index + 1}: "${line.trim().slice(0, 60)}" (a library banner)`);
        }
      }
    }
  });
  return found;
}
