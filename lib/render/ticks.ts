// Axis ticks at "nice" numbers (1, 2, 2.5, 5 × 10^k) and their labels.

/** About `target` ticks covering [lo, hi], at a nice step, inside the range. */
export function niceTicks(lo: number, hi: number, target: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, target);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const first = Math.ceil(lo / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

/** Decimals needed to tell the ticks apart. */
function decimalsFor(ticks: number[]): number {
  if (ticks.length < 2) return ticks.length && !Number.isInteger(ticks[0]) ? 2 : 0;
  const step = Math.abs(ticks[1] - ticks[0]);
  return Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9) + (/[^0]5$/.test(step.toPrecision(2).replace('.', '')) ? 1 : 0)));
}

/** Labels for a list of ticks, all with the same number of decimals (1e5 and above in k/M form, like Plotly). */
export function formatTicks(ticks: number[]): string[] {
  const d = decimalsFor(ticks);
  return ticks.map((t) => {
    const a = Math.abs(t);
    if (a >= 1e6 && Number.isInteger(t)) return `${+(t / 1e6).toPrecision(3)}M`;
    if (a >= 1e4 && Number.isInteger(t)) return `${+(t / 1e3).toPrecision(3)}k`;
    // U+2212 minus, as Plotly writes it.
    return t.toFixed(d).replace(/^-/, '−');
  });
}

/** Log axes: ticks at whole powers of ten inside [lo, hi] (in log10 units). */
export function logTicks(lo: number, hi: number): { values: number[]; labels: string[] } {
  if (lo > hi) [lo, hi] = [hi, lo];
  const values: number[] = [];
  const every = Math.max(1, Math.ceil((Math.floor(hi) - Math.ceil(lo) + 1) / 8));
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e += every) values.push(e);
  const labels = values.map((e) => (e >= 0 && e < 5 ? String(10 ** e) : e < 0 && e > -5 ? (10 ** e).toFixed(-e) : `1e${e}`));
  return { values, labels };
}
