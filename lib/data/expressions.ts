// The five expressions of the CFD that the paper tells apart, in the order
// of the network's outputs (class index = position here).
export const EXPRESSIONS = ['N', 'A', 'F', 'HC', 'HO'] as const;
export type Expression = (typeof EXPRESSIONS)[number];
export const EXPRESSION_NAMES: Record<Expression, string> = {
  N: 'neutral',
  A: 'angry',
  F: 'fearful',
  HC: 'happy, mouth closed',
  HO: 'happy, mouth open',
};
