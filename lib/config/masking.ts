// Experiment 4 of the bias audit: which regions are painted over before the
// run is trained again.
import { list, text, validate } from './schema';

export interface MaskingConfig {
  /** Regions (or groups) painted over. */
  regions: string[];
}

export const MASKING_DEFAULTS: MaskingConfig = { regions: ['background', 'hair'] };

export const MASKING_FIELDS = {
  regions: list(text({ describe: 'a region' }), { describe: 'regions or groups painted over with the data mean colour', default: MASKING_DEFAULTS.regions, placeholder: '<names>' }),
};

export function checkMaskingConfig(config: MaskingConfig, where = 'masking'): MaskingConfig {
  validate(MASKING_FIELDS, config, where);
  return config;
}
