// The maskers' names and the choice a user makes among them, apart from the
// maskers themselves so that options can be checked without loading them.
export const MASKER_NAMES = ['ground-truth', 'landmarks', 'colour'] as const;
export type MaskerName = (typeof MASKER_NAMES)[number];
export const MASKER_CHOICES = ['auto', ...MASKER_NAMES] as const;
export type MaskerChoice = (typeof MASKER_CHOICES)[number];
