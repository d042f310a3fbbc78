// The subcommands, in the order --help shows them, with their one-line
// summaries. A command's module (options, run) is loaded only when it is
// used, so `smile-lens --help` starts without TensorFlow.js.
import type { Command } from '../command';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Command<any>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'backend', summary: 'show which compute backend runs here and why the better ones do not', load: () => require('./backend').default },
  { name: 'smoke', summary: 'train a tiny network for one epoch on generated images and print loss and accuracy', load: () => require('./smoke').default },
  { name: 'synth', summary: 'generate a synthetic CFD-like data set (real CFD layout and names, region masks)', load: () => require('./synth').default },
  { name: 'masks', summary: "write a data set's region maps as pictures (label image + overlay), their areas and the masker's warnings; --quality: IoU against ground truth", load: () => require('./masks').default },
  { name: 'data', summary: 'summarise a CFD folder: images per expression, models, confound, skipped files', load: () => require('./data').default },
  { name: 'experiment', summary: 'the main job: data → train 5 seeds → explain → audit → report (resumable)', load: () => require('./experiment').default },
  { name: 'train', summary: "train the paper's network on k seeds (resumable), write metrics and models to a run folder", load: () => require('./train').default },
  { name: 'explain', summary: 'attribution maps (.npy + JSON sidecar + PNG overlay) for a trained run, one method or all', load: () => require('./explain').default },
  { name: 'audit', summary: 'where the explanations of a run look: region shares, face metrics, deletion check (CSV + JSON)', load: () => require('./audit').default },
  { name: 'bias-sweep', summary: 'plant a hair or background colour that predicts the label with strength p; do the explainers find it?', load: () => require('./bias-sweep').default },
  { name: 'baselines', summary: "which baseline should GradientSHAP (and Integrated Gradients) use? black, blur, noise and training images measured: deletion gap, planted-bias share, completeness, time", load: () => require('./baselines').default },
  { name: 'sanity', summary: 'sanity checks of the explanations (Adebayo et al.): cascading layer randomisation and a random-label model', load: () => require('./sanity').default },
  { name: 'retrain-masked', summary: 'train, explain and audit a run again with background and hair painted over; compare accuracy and region shares', load: () => require('./retrain-masked').default },
  { name: 'status', summary: 'how far a run has come per seed and stage; its Slurm jobs, failed tasks with their logs, and the command that re-runs them', load: () => require('./status').default },
  { name: 'report', summary: 'write the run\'s report.html: training, example explanations and the bias audit, viewable offline', load: () => require('./report').default },
];
