// Every attribution method smile-lens knows, in the order figures and tables
// show them. A new method is one file implementing Explainer (explainer.ts)
// and one line here; explain, the audit, the sanity checks, masked
// retraining, the figures and the report pick it up from this list.
import type { Budget, Explainer } from './explainer';
import { gradCamExplainer } from './grad-cam';
import { gradientShapExplainer } from './gradient-shap';
import { integratedGradientsExplainer } from './integrated-gradients';
import { occlusionExplainer } from './occlusion';
import { saliencyExplainer } from './saliency';
import { smoothGradExplainer } from './smoothgrad';

const METHODS: readonly Explainer<any>[] = [gradCamExplainer, gradientShapExplainer, integratedGradientsExplainer, saliencyExplainer, occlusionExplainer];
/** The noise tunnel wraps any of the others, so it comes last. */
export const EXPLAINERS: readonly Explainer<any>[] = [...METHODS, smoothGradExplainer(METHODS)];

export function explainerNames(): string[] {
  return EXPLAINERS.map((e) => e.name);
}

const loose = (name: string) => name.toLowerCase().replace(/[-_ ]/g, '');

/** The method called `name` (case, dashes, underscores and spaces ignored), or an error listing the known ones. */
export function explainer(name: string): Explainer<any> {
  const wanted = loose(name);
  const found = EXPLAINERS.find((e) => loose(e.name) === wanted);
  if (!found) throw new Error(`unknown explanation method "${name}" (known: ${explainerNames().join(', ')})`);
  return found;
}

/** A method's human name, or the name itself when unknown (old run folders). */
export function methodLabel(name: string): string {
  return EXPLAINERS.find((e) => e.name === name)?.label ?? name;
}

/** The command-line flag of one of a method's options. */
export function optionFlag(e: Explainer<any>, option: string): string {
  return (e.flags as Record<string, string> | undefined)?.[option] ?? `${e.name}-${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Every method's options for a budget (see BUDGETS in explainer.ts), for the methods that have one. */
export function budgetOptions(budget: Budget): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const e of EXPLAINERS) if (e.budgets?.[budget]) out[e.name] = { ...e.budgets[budget] };
  return out;
}
