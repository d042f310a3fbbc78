// Every attribution method smile-lens knows, in the order figures and tables
// show them. A new method is one file implementing Explainer (explainer.ts)
// and one line here; explain, the audit, the sanity checks, masked
// retraining, the figures and the report pick it up from this list.
import type { Explainer } from './explainer';
import { gradCamExplainer } from './grad-cam';
import { gradientShapExplainer } from './gradient-shap';

export const EXPLAINERS: readonly Explainer<any>[] = [gradCamExplainer, gradientShapExplainer];

export function explainerNames(): string[] {
  return EXPLAINERS.map((e) => e.name);
}

/** The method called `name` (case, dashes and spaces ignored), or an error listing the known ones. */
export function explainer(name: string): Explainer<any> {
  const wanted = name.toLowerCase().replace(/[-_ ]/g, '');
  const found = EXPLAINERS.find((e) => e.name === wanted);
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
