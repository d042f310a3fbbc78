// Where smile-lens keeps things on disk: the project root (found from this
// file, so it holds for the TypeScript sources and for the compiled build
// alike), the outputs folder (SMILE_LENS_OUTPUTS, else <root>/outputs) and the
// data folder (<root>/data). Every other module asks here.
import * as fs from 'fs';
import * as path from 'path';
import type { ExperimentConfig } from '../config/experiment';

/** Moves every run folder, report and export (a test re-executes a notebook into two of them). */
export const OUTPUTS_ENV = 'SMILE_LENS_OUTPUTS';

let root: string | undefined;

/** The checkout's root: the nearest folder above this file with smile-lens's package.json. */
export function projectRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'smile-lens') return (root = dir);
    if (path.dirname(dir) === dir) throw new Error(`no smile-lens package.json above ${__dirname}`);
  }
}

export function outputsRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env[OUTPUTS_ENV] ?? path.join(projectRoot(), 'outputs'));
}

/** Run folders made with a default name: <outputs>/runs/<id>. */
export function runsRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(outputsRoot(env), 'runs');
}

/** Standalone planted-bias sweeps: <outputs>/bias-sweep/<id>. */
export function sweepsRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(outputsRoot(env), 'bias-sweep');
}

/** Generated data sets and caches (ignored by git). */
export function dataRoot(): string {
  return path.join(projectRoot(), 'data');
}

/** A path as users should read it: relative to the project root when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(projectRoot(), path.resolve(file));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(file);
}

/** A readable, stable run id from the settings that shape a run, so the same command resumes the same folder. */
export function defaultRunId(cfg: Pick<ExperimentConfig, 'data' | 'size' | 'epochs' | 'seeds' | 'limitPerClass' | 'classWeights'>): string {
  const data = path.basename(path.resolve(cfg.data)).replace(/[^A-Za-z0-9_.-]+/g, '-');
  return `${data}-${cfg.size}px-${cfg.epochs}ep-${cfg.seeds.length}seeds${cfg.limitPerClass ? `-max${cfg.limitPerClass}` : ''}${cfg.classWeights === 'balanced' ? '-balanced' : ''}`;
}

/** <outputs>/runs/<id>. */
export function defaultRunDir(cfg: Parameters<typeof defaultRunId>[0], env: NodeJS.ProcessEnv = process.env): string {
  return path.join(runsRoot(env), defaultRunId(cfg));
}
