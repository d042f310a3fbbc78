// How exact a completeness method's maps are (Σφ = y(x) − y(b), for
// GradientSHAP and Integrated Gradients), from the diagnostics in a run's
// sidecars: per method and seed, the mean |delta|, the standard error of the
// delta (sampling methods), |y(x) − y(b)| it is read against, and how many
// maps have a standard error as large as y(x) − y(b) — for those the
// completeness check says nothing at that n, and the output says so in words.
import { EXPLAINERS, methodLabel } from '../explain/registry';
import type { ExplanationSidecar } from '../run/files';
import type { RunFolder } from '../run/run-folder';

export interface CompletenessRow {
  method: string;
  seed: number;
  maps: number;
  /** Samples per map (a range when a target standard error chose them). */
  samples: string;
  meanAbsDelta: number;
  /** Mean standard error of the delta (NaN for a method that does not sample). */
  meanStdError: number;
  meanAbsScoreChange: number;
  /** Maps whose delta's standard error is ≥ |y(x) − y(b)|. */
  unresolved: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : NaN);

/** One row per completeness method and seed, from its sidecars. */
export function completenessRows(sidecars: readonly ExplanationSidecar[]): CompletenessRow[] {
  const methods = EXPLAINERS.filter((e) => e.completeness).map((e) => e.name);
  const rows: CompletenessRow[] = [];
  for (const method of methods) {
    for (const seed of [...new Set(sidecars.filter((s) => s.method === method).map((s) => s.seed))]) {
      const maps = sidecars.filter((s) => s.method === method && s.seed === seed);
      const d = (k: string) => maps.map((s) => s.diagnostics[k]).filter((v) => typeof v === 'number' && Number.isFinite(v));
      const samples = maps.map((s) => Number(s.parameters.samples)).filter(Number.isFinite);
      const lo = Math.min(...samples);
      const hi = Math.max(...samples);
      rows.push({
        method,
        seed,
        maps: maps.length,
        samples: samples.length ? (lo === hi ? String(lo) : `${lo}–${hi}`) : '—',
        meanAbsDelta: mean(d('delta').map(Math.abs)),
        meanStdError: mean(d('deltaStdError')),
        meanAbsScoreChange: mean(d('scoreChange').map(Math.abs)),
        unresolved: maps.filter((s) => s.diagnostics.deltaStdError >= Math.abs(s.diagnostics.scoreChange)).length,
      });
    }
  }
  return rows;
}

/** Every sidecar of the run's completeness methods and the given seeds. */
export function runCompleteness(run: RunFolder, seeds: readonly number[]): CompletenessRow[] {
  return completenessRows(EXPLAINERS.filter((e) => e.completeness).flatMap((e) => seeds.flatMap((s) => run.explanations(e.name, s).readIndex() ?? [])));
}

/** The rows in words, with a warning where the standard error is as large as y(x) − y(b). */
export function completenessInWords(rows: readonly CompletenessRow[], unit = 'logit'): string {
  return rows
    .map((r) => {
      const label = `${methodLabel(r.method)}, seed ${r.seed} (${r.maps} maps, n = ${r.samples})`;
      const se = Number.isFinite(r.meanStdError) ? `, standard error ${r.meanStdError.toFixed(3)}` : '';
      const line = `${label}: mean |Σφ − (y(x) − y(b))| ${r.meanAbsDelta.toFixed(3)} ${unit}${se}, against |y(x) − y(b)| ${r.meanAbsScoreChange.toFixed(3)}.`;
      if (!r.unresolved) return line;
      return `${line} **Warning: for ${r.unresolved} of ${r.maps} maps the standard error of the delta is as large as y(x) − y(b): at this n the completeness check cannot tell a faithful map from noise; raise --samples or set --shap-standard-error.**`;
    })
    .join('\n');
}

export function completenessTable(rows: readonly CompletenessRow[]): Record<string, string | number>[] {
  return rows.map((r) => ({
    method: r.method,
    seed: r.seed,
    maps: r.maps,
    samples: r.samples,
    mean_abs_delta: r.meanAbsDelta,
    mean_delta_std_error: r.meanStdError,
    mean_abs_score_change: r.meanAbsScoreChange,
    maps_with_se_ge_score_change: r.unresolved,
    warning: r.unresolved ? `standard error ≥ |y(x) − y(b)| for ${r.unresolved} of ${r.maps} maps` : '',
  }));
}
