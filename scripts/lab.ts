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
  // Ctrl-C reaches Jupyter through the terminal's process group; wait for it to shut down.
  process.on('SIGINT', () => undefined);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main(process.argv.slice(2));
