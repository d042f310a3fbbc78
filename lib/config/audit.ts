// What the audit (experiment 1 of the bias audit) measures on a run's
// explanations: region shares and face metrics always, the faithfulness check
// (the deletion and insertion games; the slow part: per photo
// 1 + fills × (1 + 2 × fractions × (randomDraws + methods)) forward passes)
// when asked.
import { DEFAULT_FRACTIONS } from '../audit/deletion-insertion';
import { FILLS, FillKind } from '../audit/fills';
import { explainerNames } from '../explain/registry';
import { MASKER_CHOICES, MaskerChoice } from '../regions/masker-names';
import { bool, choice, int, list, num, validate } from './schema';

export interface AuditConfig {
  /** Default: every method the run explained. */
  methods?: string[];
  /** Play the deletion and insertion games (the faithfulness check). */
  deletion: boolean;
  /** What removed pixels become, each in turn (lib/audit/fills.ts). */
  fills: FillKind[];
  fractions: number[];
  /** Random pixel orders per fill in the games' control (shared by every method of a photo). */
  randomDraws: number;
  /** σ of the blurred fill as a fraction of the image side (1/16: 8 px at 128 px, as GradientSHAP's blur baseline). */
  blurSigmaFraction: number;
  seed: number;
  /** Where the regions come from: the data set's own maps, the face-mesh landmarks, the old colour rules, or auto (ground truth when the set has maps, else landmarks). */
  regions: MaskerChoice;
}

export const AUDIT_DEFAULTS: AuditConfig = {
  deletion: true,
  fills: [...FILLS],
  fractions: DEFAULT_FRACTIONS,
  randomDraws: 3,
  blurSigmaFraction: 1 / 16,
  seed: 0,
  regions: 'auto',
};

export const AUDIT_FIELDS = {
  methods: list(choice(explainerNames(), { describe: 'a method' }), { describe: 'which explanations to audit (default: every method the run explained)', unique: true }),
  deletion: bool({ describe: 'run the faithfulness check, the deletion and insertion games (--no-deletion to skip it)', default: true }),
  fills: list(choice(FILLS, { describe: 'a fill' }), { describe: 'what deleted pixels become in the games, each in turn', default: AUDIT_DEFAULTS.fills, unique: true }),
  fractions: list(num({ above: 0, max: 1, describe: 'a fraction' }), { describe: 'fractions of the pixels deleted or inserted', placeholder: '<f,f,…>' }),
  randomDraws: int({ min: 1, max: 1000, describe: "random pixel orders per fill in the games' control", default: AUDIT_DEFAULTS.randomDraws }),
  blurSigmaFraction: num({ above: 0, max: 1, describe: 'σ of the blurred fill, as a fraction of the side' }),
  seed: int({ min: 0, max: 2 ** 31 - 1, describe: 'seed of the random control' }),
  regions: choice(MASKER_CHOICES, { describe: "region masks from: auto (the data set's own maps if it has them, else landmarks), ground-truth, landmarks (face mesh) or colour (old colour rules)", default: AUDIT_DEFAULTS.regions }),
};

export function checkAuditConfig(config: AuditConfig, where = 'audit'): AuditConfig {
  validate(AUDIT_FIELDS, config, where);
  return config;
}
