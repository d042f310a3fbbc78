// Every method that explained a seed, side by side on the same photos (one
// per expression, among those every method explained): one row of panels
// per method, in the registry's order, each drawn as the options it was made
// with say (its own colour scale and bar), and a table of what each method is,
// the settings its sidecars record, and what it reports about its own
// accuracy (the mean of its diagnostics over the seed's maps).
import { EXPRESSIONS } from '../data/expressions';
import { explainerNames, methodLabel } from '../explain/registry';
import { LoadedExplanation, loadExplanations, runDataset, sidecarTraits } from '../pipeline/explanation-maps';
import type { Figure } from '../render/figure';
import { RunFolder, runFolder } from '../run/run-folder';
import { attributionGridFigure } from './attribution-maps';

export interface MethodComparison {
  /** The photos shown (data-set files), one per expression. */
  images: string[];
  /** The photos, then one row per method. */
  figures: Figure[];
  /** Per method: map shape and sign, completeness, sampling, settings and mean diagnostics. */
  table: Record<string, string>[];
}

const short = (v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(3)).toString() : String(v));

export async function methodComparison(dir: string | RunFolder, seed: number, options: { panelSize?: number } = {}): Promise<MethodComparison> {
  const run = runFolder(dir);
  const dataset = await runDataset(run);
  const methods = explainerNames().filter((m) => run.explanations(m, seed).readIndex()?.length);
  if (methods.length === 0) throw new Error(`${run.dir}: seed ${seed} has no explanations (run \`smile-lens explain --run ${run.dir}\` first)`);
  const loaded = new Map<string, LoadedExplanation[]>();
  for (const m of methods) loaded.set(m, await loadExplanations(run, m, seed, () => true, dataset));
  const everywhere = [...loaded.values()].reduce<Set<string>>((common, l) => new Set(l.map((e) => e.sidecar.image).filter((i) => common.has(i))), new Set(loaded.get(methods[0])!.map((e) => e.sidecar.image)));
  const first = loaded.get(methods[0])!.filter((e) => everywhere.has(e.sidecar.image));
  const picked = EXPRESSIONS.map((x) => first.find((e) => e.sidecar.expression === x)).filter((e): e is LoadedExplanation => !!e);
  const panelSize = options.panelSize ?? 150;

  const figures: Figure[] = [
    await attributionGridFigure(
      picked.map((e) => ({ title: `${e.sidecar.expression} → ${EXPRESSIONS[e.sidecar.predicted]}`, image: e.image })),
      { panelSize, title: `Seed ${seed}: true expression → predicted (each method explains the predicted class)` },
    ),
  ];
  const table: Record<string, string>[] = [];
  for (const m of methods) {
    const rows = picked.map((p) => loaded.get(m)!.find((e) => e.sidecar.image === p.sidecar.image)!);
    const traits = sidecarTraits(rows[0].sidecar);
    figures.push(await attributionGridFigure(rows.map((e) => ({ title: e.sidecar.expression, image: e.image, map: e.map, visualisation: traits.display })), { panelSize, title: methodLabel(m) }));
    const all = loaded.get(m)!.map((e) => e.sidecar);
    const diagnostics = [...new Set(all.flatMap((s) => Object.keys(s.diagnostics)))].map((k) => {
      const values = all.map((s) => s.diagnostics[k]).filter(Number.isFinite);
      return `${k} ${short(values.reduce((t, v) => t + v, 0) / values.length)}`;
    });
    table.push({
      method: methodLabel(m),
      map: `${all[0].shape.join('×')} (${traits.mapShape}), ${traits.sign}`,
      'Σ map = y(x) − y(b)': traits.completeness ? 'yes' : 'no',
      sampled: traits.stochastic ? 'yes' : 'no',
      // The settings that shaped the maps, as each method wrote them beside its maps.
      settings: Object.entries(all[0].parameters).filter(([, v]) => v !== null && typeof v !== 'object').map(([k, v]) => `${k} ${short(v)}`).join(', ') || '—',
      maps: String(all.length),
      'mean diagnostics': diagnostics.join(', ') || '—',
    });
  }
  return { images: picked.map((e) => e.sidecar.image), figures, table };
}
