// How often does each 95% interval contain the truth, for a proportion
// averaged over seeds? The measurement behind lib/util/interval.ts's choice
// of a percentile bootstrap over seeds and images for bounded quantities.
//
// Each simulated run: k seeds, each seed's true proportion drawn from a Beta
// around μ (between-seed sd τ), m images per seed scored 0/1 with it. The
// truth is μ. Compared: Student's t on the seed means (what smile-lens printed
// before), t on the logit scale of the seed means (with the ½-image
// correction), and the library's two-level bootstrap. Prints coverage, how
// often the interval left [0, 1], and the mean width.
//   npx tsx scripts/interval-coverage.ts [runs per scenario, default 400]
import { summarise, summariseNested, tQuantile975 } from '../lib/util/interval';
import { createRandom } from '../lib/util/random';

const runs = Number(process.argv[2] ?? 400);
const rnd = createRandom(2024);

function gamma(k: number): number {
  if (k < 1) return gamma(k + 1) * Math.pow(rnd.next(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rnd.normal(0, 1);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    if (Math.log(rnd.next()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
const beta = (a: number, b: number) => {
  const x = gamma(a);
  return x / (x + gamma(b));
};

function logitT(means: number[], m: number): [number, number] {
  const l = means.map((p) => Math.log((m * p + 0.5) / (m - m * p + 0.5)));
  const s = summarise(l);
  const expit = (v: number) => 1 / (1 + Math.exp(-v));
  const half = tQuantile975(l.length - 1) * s.std / Math.sqrt(l.length);
  return [expit(s.mean - half), expit(s.mean + half)];
}

console.log(`${runs} simulated runs per scenario; coverage of the true mean (target 95%), share of intervals outside [0, 1], mean width`);
for (const k of [3, 5]) {
  for (const m of [10, 50]) {
    for (const [mu, tau] of [[0.03, 0.02], [0.5, 0.05], [0.95, 0.03], [0.9, 0.08]]) {
      const conc = (mu * (1 - mu)) / (tau * tau) - 1;
      const tally: Record<string, { cover: number; out: number; width: number }> = {};
      const add = (name: string, [lo, hi]: [number, number]) => {
        const t = (tally[name] ??= { cover: 0, out: 0, width: 0 });
        if (lo <= mu && mu <= hi) t.cover++;
        if (lo < 0 || hi > 1) t.out++;
        t.width += hi - lo;
      };
      for (let r = 0; r < runs; r++) {
        const seeds = Array.from({ length: k }, () => {
          const p = beta(mu * conc, (1 - mu) * conc);
          return Array.from({ length: m }, (): number => (rnd.next() < p ? 1 : 0));
        });
        const means = seeds.map((xs) => xs.reduce((a, b) => a + b, 0) / m);
        add("Student's t", summarise(means).ci95);
        add('t on the logit scale', logitT(means, m));
        add('bootstrap over seeds and images', summariseNested(seeds, { seed: r }).ci95);
      }
      const cells = Object.entries(tally).map(([name, t]) => `${name}: ${((100 * t.cover) / runs).toFixed(0)}% covered, ${((100 * t.out) / runs).toFixed(0)}% outside, width ${(t.width / runs).toFixed(3)}`);
      console.log(`k=${k} seeds, m=${m} images, μ=${mu}, τ=${tau} | ${cells.join(' | ')}`);
    }
  }
}
