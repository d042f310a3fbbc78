// `npm run lab [-- jupyter options]`: the notebooks in a browser, with the
// project's tslab kernel. Registers the kernels in .jupyter/ and starts
// JupyterLab if it is installed, else the classic Jupyter Notebook (Debian's
// jupyter-notebook, installed by `npm run setup`), opened on notebooks/.
import { spawn } from 'child_process';
import { ensureKernels, hasJupyterCommand, jupyterBinary, jupyterEnv } from '../lib/notebook/jupyter';
import { projectRoot } from '../lib/run/locations';

const INSTALL_HELP = `JupyterLab is not installed (Debian does not package it). Either:
  python3 -m venv ~/.venvs/jupyter && ~/.venvs/jupyter/bin/pip install jupyterlab 'plotly>=6.1'
  SMILE_LENS_JUPYTER=~/.venvs/jupyter/bin/jupyter npm run lab
or: pipx install jupyterlab && pipx inject jupyterlab 'plotly>=6.1'  (then SMILE_LENS_JUPYTER=$(which jupyter))
plotly >= 6.1 brings the JupyterLab renderer for interactive Plotly figures; without it
figures show as PNG. The classic notebook: apt-get install jupyter-notebook (npm run setup does).`;

function main(argv: string[]): void {
  ensureKernels();
  const jupyter = jupyterBinary();
  let args: string[];
  if (jupyter && hasJupyterCommand('lab')) {
    args = ['lab', `--ServerApp.root_dir=${projectRoot()}`, '--LabApp.default_url=/lab/tree/notebooks'];
  } else if (jupyter && hasJupyterCommand('notebook')) {
    console.log('JupyterLab is not installed; starting the classic Jupyter Notebook (figures show as PNG).');
    console.log(INSTALL_HELP.split('\n').slice(0, 3).join('\n'));
    args = ['notebook', `--notebook-dir=${projectRoot()}`, '--NotebookApp.default_url=/tree/notebooks'];
  } else {
    console.error(INSTALL_HELP);
    process.exit(1);
  }
  // Jupyter refuses to run as root without being told (containers, CI-like machines).
  if (process.getuid?.() === 0 && !argv.includes('--allow-root')) args.push('--allow-root');
  console.log(`notebooks run with the tslab kernel "TypeScript (smile-lens)"; working directory: ${projectRoot()}`);
  const child = spawn(jupyter!, [...args, ...argv], { stdio: 'inherit', cwd: projectRoot(), env: jupyterEnv() });
  // Jupyter stops with us: Ctrl-C, a closed terminal, or this process (or
  // npm's) stopped by its PID ask Jupyter to shut down (SIGTERM: it stops its
  // kernels, without the "Shutdown this server?" question), and we exit once
  // it has (10 s at most, then it is killed).
  // package.json's script execs this process, so npm's signals reach it; if
  // npm itself is killed outright, this process is orphaned and stops too.
  let stoppedBy: number | undefined;
  const stop = (n: number) => {
    stoppedBy ??= n;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  };
  for (const [signal, n] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]] as const) process.on(signal, () => stop(n));
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop(1), 500).unref();
  child.on('exit', (code, signal) => process.exit(stoppedBy !== undefined ? 128 + stoppedBy : (code ?? (signal ? 1 : 0))));
}

main(process.argv.slice(2));
