// How each explainer's maps are shown by default: the sign convention of the
// map decides the scale (Grad-CAM's maps are ReLU'd, so non-negative and
// sequential; GradientSHAP's are signed, so diverging around zero), and both
// are in units of the explained class score, the pre-softmax logit
// (Grad-CAM's α_k A^k and GradientSHAP's φ, which sums to y_c(x) − y_c(b)).
// Figures read these descriptors and never a method's name; the explainer
// registry (lib/explain/registry.ts, being built) is meant to carry them as
// each entry's default visualisation, replacing the lookup below.
import type { MapVisualisation } from '../figures/map-visualisation';

export const GRAD_CAM_VISUALISATION: MapVisualisation = { scale: 'sequential', unit: 'logit', label: 'Grad-CAM' };
export const GRADIENT_SHAP_VISUALISATION: MapVisualisation = { scale: 'diverging', unit: 'logit', label: 'GradientSHAP φ' };

const BY_METHOD: Record<'gradcam' | 'gradientshap', MapVisualisation> = {
  gradcam: GRAD_CAM_VISUALISATION,
  gradientshap: GRADIENT_SHAP_VISUALISATION,
};

/** The default visualisation of a run's explanation method ('gradcam', 'gradientshap'). */
export function defaultVisualisation(method: 'gradcam' | 'gradientshap'): MapVisualisation {
  const v = BY_METHOD[method];
  if (!v) throw new Error(`no default visualisation for explanation method "${method}" (known: ${Object.keys(BY_METHOD).join(', ')})`);
  return v;
}
