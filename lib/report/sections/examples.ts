// Example explanations: each method's overlays of the first trained seed,
// one per expression first, with the method's definition.
import * as fs from 'fs';
import * as path from 'path';
import { EXPRESSIONS } from '../../data/expressions';
import { EXPLAINERS } from '../../explain/registry';
import { sidecarTraits } from '../../pipeline/explanation-maps';
import { completenessInWords, completenessRows } from '../../pipeline/completeness';
import type { RunFolder } from '../../run/run-folder';
import type { ReportBlock, ReportSection } from '../section';

/** Up to n explained images, one per expression first. */
export function pickExamples<S extends { expression: string }>(sidecars: S[], n: number): S[] {
  return [...EXPRESSIONS.map((x) => sidecars.find((s) => s.expression === x)), ...sidecars].filter((s, k, all): s is S => !!s && all.indexOf(s) === k).slice(0, n);
}

export async function examplesSection(run: RunFolder, options: { examples?: number } = {}): Promise<ReportSection | undefined> {
  const { experiment: cfg } = run.readConfig();
  const seed = cfg.seeds.find((s) => run.seed(s).isTrained());
  if (seed === undefined) return undefined;
  const blocks: ReportBlock[] = [];
  for (const e of EXPLAINERS) {
    const folder = run.explanations(e.name, seed);
    const sidecars = folder.readIndex();
    if (!sidecars?.length) continue;
    const picked = pickExamples(sidecars, options.examples ?? 5);
    blocks.push({ kind: 'html', html: `<h3>${e.label}, seed ${seed}</h3>` });
    // The drawing follows the options the maps were made with (a noise tunnel's follows its base).
    blocks.push({ kind: 'text', text: `${e.formula ? `${e.formula}. ` : ''}${sidecarTraits(sidecars[0]).display.scale === 'diverging' ? 'Red: evidence for the explained class, blue: against it, clipped at the 99th percentile of |value|.' : 'Scaled to its maximum over the photo (display only).'}` });
    blocks.push({
      kind: 'images',
      images: picked.map((s) => ({
        src: `data:image/png;base64,${fs.readFileSync(folder.file(s.png)).toString('base64')}`,
        caption: `${path.basename(s.image)}: true ${s.expression}, explained ${s.className} (${s.predicted === s.label ? 'correct' : `predicted ${EXPRESSIONS[s.predicted]}`})`,
      })),
    });
    // Completeness, and whether this n can check it.
    if (e.completeness) blocks.push({ kind: 'text', text: completenessInWords(completenessRows(sidecars), sidecars[0].target === 'log-prob' ? 'log-probability' : 'logit') });
  }
  return blocks.length ? { id: 'examples', title: 'Example explanations', blocks } : undefined;
}
