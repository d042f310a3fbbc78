// The paper's experiment as settings: which data, how many seeds, and how the
// network is trained (section VII: 128×128 inputs normalised with the data
// set's statistics, Adam at 0.001, NLL loss). Each setting's range lives in
// its field, so the command line and notebooks are checked the same way.
import { PAPER_NET_DEFAULTS, PaperNetConfig } from '../model/paper-net';
import { choice, int, list, num, validate } from './schema';

export const CLASS_WEIGHTINGS = ['none', 'balanced'] as const;
export type ClassWeighting = (typeof CLASS_WEIGHTINGS)[number];

export interface ExperimentConfig {
  /** Folder of CFD-named images (the real CFD or the synthetic set). */
  data: string;
  seeds: number[];
  epochs: number;
  size: number;
  batchSize: number;
  learningRate: number;
  validationFraction: number;
  model: Pick<PaperNetConfig, 'channels' | 'strides' | 'dense'>;
  /** Resize the whole photo (the paper) or crop to the face area first. */
  crop: 'none' | 'face';
  /** Cap the images per expression (small configurations); 0 = all. */
  limitPerClass: number;
  /** The paper's plain NLL ('none'), or NLL weighted inversely to the training split's class counts. */
  classWeights?: ClassWeighting;
}

export const EXPERIMENT_DEFAULTS: Omit<ExperimentConfig, 'data'> = {
  seeds: [1, 2, 3, 4, 5],
  epochs: 12,
  size: PAPER_NET_DEFAULTS.size,
  batchSize: 32,
  learningRate: 0.001,
  validationFraction: 0.2,
  model: { channels: PAPER_NET_DEFAULTS.channels, strides: PAPER_NET_DEFAULTS.strides, dense: PAPER_NET_DEFAULTS.dense },
  crop: 'none',
  limitPerClass: 0,
};

/** One field per setting: range, meaning and default. */
export const EXPERIMENT_FIELDS = {
  seeds: list(int({ min: 0, max: 2 ** 31 - 1, describe: 'a seed' }), { describe: 'seeds (each fixes weights, shuffling and split)', unique: true }),
  epochs: int({ min: 1, max: 10_000, describe: 'epochs per seed', default: EXPERIMENT_DEFAULTS.epochs }),
  size: int({ min: 16, max: 1024, describe: 'input side in pixels', default: EXPERIMENT_DEFAULTS.size, placeholder: '<px>' }),
  batchSize: int({ min: 2, max: 4096, describe: 'batch size (batch norm needs at least 2)', default: EXPERIMENT_DEFAULTS.batchSize }),
  learningRate: num({ above: 0, max: 10, describe: 'Adam learning rate', default: EXPERIMENT_DEFAULTS.learningRate, placeholder: '<rate>' }),
  validationFraction: num({ above: 0, max: 0.9, describe: 'share of subjects held out for validation', default: EXPERIMENT_DEFAULTS.validationFraction, placeholder: '<fraction>' }),
  crop: choice(['none', 'face'] as const, { describe: 'resize the whole photo (the paper) or crop to the face first', default: 'none' }),
  limitPerClass: int({ min: 0, max: 1_000_000, describe: 'use at most n images per expression (0 = all)', default: 0 }),
  classWeights: choice(CLASS_WEIGHTINGS, { describe: "loss weights: the paper's plain NLL, or balanced (inverse class frequency)", default: 'none' }),
};

export const CHANNEL_FIELD = list(int({ min: 1, max: 4096, describe: 'channels' }), { describe: 'channels of the conv blocks', placeholder: '<a,b,c>', default: EXPERIMENT_DEFAULTS.model.channels });

/** Checks every setting (a notebook's or the command line's) before any work starts. */
export function checkExperimentConfig(cfg: ExperimentConfig, where = 'experiment'): ExperimentConfig {
  validate(EXPERIMENT_FIELDS, cfg, where);
  validate({ channels: CHANNEL_FIELD, strides: list(int({ min: 1, max: 8, describe: 'stride' }), { describe: 'strides' }), dense: int({ min: 1, max: 65536, describe: 'units' }) }, cfg.model, `${where}.model`);
  if (cfg.model.strides.length !== cfg.model.channels.length) {
    validate({ strides: list(int({ min: 1, max: 8, describe: 'stride' }), { describe: 'strides', min: cfg.model.channels.length }) }, cfg.model, `${where}.model`);
  }
  return cfg;
}

/** The settings that change the numbers (not the data path's spelling), as a comparable string. */
export function numbersKey(cfg: ExperimentConfig): string {
  const { data: _data, classWeights, ...rest } = cfg;
  // Runs made before class weights existed trained with none: the same numbers.
  return JSON.stringify(classWeights && classWeights !== 'none' ? { ...rest, classWeights } : rest);
}
