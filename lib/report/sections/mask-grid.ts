// The region masks the audit measured with, beside the attribution maps of
// the same images: a picture of each masked region next to each map, so a
// reader sees what "hair" or "face" meant before reading a share of it.
import * as fs from 'fs';
import * as path from 'path';
import { methodLabel } from '../../explain/registry';
import { defaultLegend, UNLABELLED_NAME } from '../../data/regions';
import { maskStem } from '../../regions/mask-folder';
import { regionColour, UNLABELLED_COLOUR } from '../../regions/mask-picture';
import { escapeHtml } from '../../util/html';
import type { AuditSummaryFile } from '../../run/files';
import type { RunFolder } from '../../run/run-folder';
import type { ReportBlock } from '../section';
import { pickExamples } from './examples';

const png = (file: string) => `data:image/png;base64,${fs.readFileSync(file).toString('base64')}`;

/** The overlay's colours, as swatches with the region names. */
function colourKey(): string {
  const swatch = ([r, g, b]: readonly number[], name: string) => `<span style="display:inline-block;width:0.9em;height:0.9em;background:rgb(${r},${g},${b});border:1px solid #888;vertical-align:middle"></span> ${escapeHtml(name)}`;
  return [...defaultLegend().regions.map((r) => swatch(regionColour(r.name, r.id), r.name)), swatch(UNLABELLED_COLOUR, UNLABELLED_NAME)].join(' &nbsp; ');
}

/** Per example image of the audit's first seed: the first method's map, then the region overlay (none when not written). */
export function maskGridBlocks(run: RunFolder, audit: AuditSummaryFile, examples = 5): ReportBlock[] {
  const seed = audit.seeds[0];
  const method = audit.methods[0];
  const folder = run.explanations(method, seed);
  const sidecars = folder.readIndex() ?? [];
  const images: { src: string; caption: string }[] = [];
  for (const s of pickExamples(sidecars, examples)) {
    const overlay = path.join(run.masksDir, `${maskStem(s.image)}.overlay.png`);
    if (!fs.existsSync(overlay)) continue;
    images.push({ src: png(folder.file(s.png)), caption: `${path.basename(s.image)}: ${methodLabel(method)}, ${s.expression}` });
    images.push({ src: png(overlay), caption: `${path.basename(s.image)}: regions (${audit.regions.kind})` });
  }
  if (images.length === 0) return [];
  return [
    { kind: 'html', html: `<h3>The regions measured, beside the maps (seed ${seed})</h3>` },
    { kind: 'html', html: `<p class="note">${colourKey()}</p>` },
    { kind: 'images', images },
  ];
}
