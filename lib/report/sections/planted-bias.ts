// Experiment 2 of the bias audit: can the explainers find a bias we planted?
// Accuracies with the bias present and broken, the feature region's share of
// attribution against the strength, and the same held-out photos explained at
// the lowest and the highest strength.
import { sweepAccuracyFigure, sweepShareFigure } from '../../figures/audit-bias-sweep';
import { attributionGridFigure, MapPanel } from '../../figures/attribution-maps';
import { EXPLAINERS } from '../../explain/registry';
import { loadExplanations, runDataset } from '../../pipeline/explanation-maps';
import { readBiasSweep, sweepInWords, sweepTable } from '../../pipeline/planted-bias-sweep';
import type { SweepFolder } from '../../run/run-folder';
import type { ReportSection } from '../section';

/** Explanations of the same held-out photos at the lowest and highest strength (five per method); none when a strength's run is not there. */
async function extremesGrid(sweep: SweepFolder, strengths: number[], methods: string[], seed: number) {
  const ends = [strengths[0], strengths[strengths.length - 1]];
  const present = (p: number) => sweep.strength(p).hasConfig() && methods.every((m) => sweep.strength(p).explanations(m, seed).readIndex());
  if (!ends.every(present)) return undefined;
  const panels: MapPanel[] = [];
  for (const p of ends) {
    const run = sweep.strength(p);
    const data = await runDataset(run);
    for (const e of EXPLAINERS.filter((x) => methods.includes(x.name))) {
      for (const x of (await loadExplanations(run, e.name, seed, () => true, data)).slice(0, 5)) {
        panels.push({ title: `p = ${p}, ${e.label}: ${x.sidecar.expression}`, image: x.image, map: x.map, visualisation: e.display });
      }
    }
  }
  return attributionGridFigure(panels, { columns: 5, panelSize: 150, title: `The same held-out photos at p = ${strengths[0]} (first rows) and p = ${strengths[strengths.length - 1]} (last rows)` });
}

export async function plantedBiasSection(sweepFolder: SweepFolder): Promise<ReportSection | undefined> {
  const sweep = readBiasSweep(sweepFolder);
  if (!sweep) return undefined;
  const c = sweep.config;
  const section: ReportSection = {
    id: 'bias-sweep',
    title: '2 · Can the explainers find a planted bias?',
    blocks: [
      {
        kind: 'text',
        text: `A ${c.feature === 'hair' ? 'coloured clip in the hair' : 'tint of the background'} whose colour names the expression with probability p (else a random class's colour); ${c.synthetic.subjects} subjects, ${c.experiment.size} px, ${c.experiment.epochs} epochs, ${c.experiment.seeds.length} seed(s) per p. "Correlation broken": the same held-out photographs drawn again with p = 0.`,
      },
      { kind: 'text', text: sweepInWords(sweep) },
      { kind: 'figure', figure: sweepAccuracyFigure(sweep) },
      { kind: 'figure', figure: sweepShareFigure(sweep) },
      { kind: 'table', rows: sweepTable(sweep), caption: 'per strength p' },
    ],
  };
  const grid = await extremesGrid(sweepFolder, sweep.points.map((p) => p.strength), c.methods, c.experiment.seeds[0]);
  if (grid) section.blocks.push({ kind: 'figure', figure: grid });
  return section;
}
