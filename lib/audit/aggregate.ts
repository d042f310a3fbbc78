// From per-image numbers to what a reader compares: per class and overall,
// the mean over seeds with a 95% interval (lib/util/interval.ts): for a
// bounded metric (shares, RMA/RRA, the pointing game, correlations) a
// percentile bootstrap over seeds and images, for an unbounded one (deletion
// scores, in logits) Student's t over the seed means; none below three seeds.
// The module that defines a set of metrics says which kind each is.
//
// Seeds are the unit of replication (each seed is a separately trained
// network), images within a seed are not independent of each other in that
// sense. So: average over the images within each seed first, then summarise
// the per-seed means across seeds; n in the interval is the number of seeds.
// 'all' pools a seed's images of every class (the image-weighted mean, not
// the mean of class means). NaN values (an undefined share, an all-zero map)
// are left out of a seed's mean and counted in `missing`.
import { writeFileAtomic } from '../util/atomic-write';
import { Interval, intervalMethodText, summarise, summariseNested } from '../util/interval';

/** One measured number: a metric of one image's map by one method under one seed. */
export interface AuditRecord {
  image: string;
  /** The image's class (e.g. expression code). */
  class: string;
  method: string;
  seed: number;
  metric: string;
  value: number;
  /** Anything else worth keeping in the CSV (region, fraction, …). */
  [extra: string]: string | number | boolean | null | undefined;
}

export interface AggregateRow {
  method: string;
  metric: string;
  /** A class, or 'all'. */
  class: string;
  /** Seeds summarised (those with at least one finite value). */
  seeds: number;
  /** Finite per-image values used, over all seeds. */
  images: number;
  /** NaN values left out. */
  missing: number;
  /** Per-seed means, in seed order. */
  perSeed: { seed: number; mean: number; images: number }[];
  summary: Interval;
}

export const ALL_CLASSES = 'all';

/** Bounded metrics (a range such as [0, 1] or [−1, 1]) get a bootstrap interval, unbounded ones a t interval. */
export type MetricKind = 'bounded' | 'unbounded';

/**
 * Groups records by method × metric × class (plus 'all') and summarises the
 * per-seed means, with the interval `kindOf(metric)` calls for. `keyOf` can
 * split further, e.g. by region: `aggregate(records, kindOf, (r) => String(r.region))`
 * — the key then becomes part of `metric` as "metric/key".
 */
export function aggregate(records: readonly AuditRecord[], kindOf: (metric: string) => MetricKind, keyOf?: (r: AuditRecord) => string): AggregateRow[] {
  // group → seed → values
  const groups = new Map<string, { method: string; metric: string; class: string; kind: MetricKind; seeds: Map<number, number[]>; missing: number }>();
  const add = (method: string, metric: string, kind: MetricKind, cls: string, seed: number, value: number) => {
    const key = JSON.stringify([method, metric, cls]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { method, metric, class: cls, kind, seeds: new Map(), missing: 0 }));
    if (!Number.isFinite(value)) {
      g.missing++;
      return;
    }
    const list = g.seeds.get(seed) ?? [];
    list.push(value);
    g.seeds.set(seed, list);
  };
  for (const r of records) {
    if (typeof r.value !== 'number') throw new Error(`aggregate: expected a numeric value, got ${JSON.stringify(r.value)} for image ${r.image}`);
    const metric = keyOf ? `${r.metric}/${keyOf(r)}` : r.metric;
    const kind = kindOf(r.metric);
    if (kind !== 'bounded' && kind !== 'unbounded') throw new Error(`aggregate: metric ${r.metric} has no kind (bounded or unbounded), got ${JSON.stringify(kind)}`);
    add(r.method, metric, kind, r.class, r.seed, r.value);
    add(r.method, metric, kind, ALL_CLASSES, r.seed, r.value);
  }
  const rows: AggregateRow[] = [];
  for (const g of groups.values()) {
    const seeds = [...g.seeds.entries()].sort(([a], [b]) => a - b);
    const perSeed = seeds.map(([seed, values]) => ({ seed, mean: values.reduce((s, v) => s + v, 0) / values.length, images: values.length }));
    rows.push({
      method: g.method,
      metric: g.metric,
      class: g.class,
      seeds: perSeed.length,
      images: perSeed.reduce((s, p) => s + p.images, 0),
      missing: g.missing,
      perSeed,
      summary: g.kind === 'bounded' ? summariseNested(seeds.map(([, values]) => values)) : summarise(perSeed.map((p) => p.mean)),
    });
  }
  // Stable reading order: method, metric, classes alphabetically with 'all' last.
  const clsKey = (c: string) => (c === ALL_CLASSES ? '\uffff' : c);
  rows.sort((a, b) => a.method.localeCompare(b.method) || a.metric.localeCompare(b.metric) || clsKey(a.class).localeCompare(clsKey(b.class)));
  return rows;
}

/** Flat rows for a table or CSV: one line per aggregate. */
export function aggregateTable(rows: readonly AggregateRow[]): Record<string, string | number>[] {
  return rows.map((r) => ({
    method: r.method,
    metric: r.metric,
    class: r.class,
    seeds: r.seeds,
    images: r.images,
    missing: r.missing,
    mean: r.summary.mean,
    std: r.summary.std,
    ci95_low: r.summary.ci95[0],
    ci95_high: r.summary.ci95[1],
    interval: intervalMethodText(r.summary),
  }));
}

/** One CSV field (RFC 4180): quoted when it holds the delimiter, a quote, a line break or edge spaces. */
export function csvField(value: unknown, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isNaN(value) ? 'NaN' : String(value)) : String(value);
  return text.includes(delimiter) || /["\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV of objects: the header is `columns`, or every key in order of first
 * appearance; a missing value is an empty field, NaN is written "NaN"; lines end in CRLF as RFC 4180 says.
 */
export function toCsv(rows: readonly Record<string, unknown>[], columns?: readonly string[], delimiter = ','): string {
  const header = columns ? [...columns] : [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = [header.map((h) => csvField(h, delimiter)).join(delimiter)];
  for (const r of rows) lines.push(header.map((h) => csvField(r[h], delimiter)).join(delimiter));
  return lines.join('\r\n') + '\r\n';
}

/** JSON with NaN and ±Infinity written as null (JSON has no NaN), indented. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

export function writeCsv(file: string, rows: readonly Record<string, unknown>[], columns?: readonly string[]): void {
  writeFileAtomic(file, toCsv(rows, columns));
}

export function writeJson(file: string, value: unknown): void {
  writeFileAtomic(file, toJson(value));
}

/** The aggregate of one method × metric × class, if measured. */
export function findRow(rows: readonly AggregateRow[], method: string, metric: string, cls: string = ALL_CLASSES): AggregateRow | undefined {
  return rows.find((r) => r.method === method && r.metric === metric && r.class === cls);
}

/** Mean of an aggregate (NaN when absent; JSON stores NaN as null). */
export function meanOf(rows: readonly AggregateRow[], method: string, metric: string, cls: string = ALL_CLASSES): number {
  const m = findRow(rows, method, metric, cls)?.summary.mean;
  return typeof m === 'number' && Number.isFinite(m) ? m : NaN;
}
