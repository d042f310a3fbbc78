// The masks the metrics take, from a label map (one region id per pixel) and
// the data set's legend (lib/data/regions.ts: regions.json with regions and
// groups such as face = face skin ∪ mouth ∪ eyes ∪ brows). lib/data/regions.ts
// builds the masks; this file adds what the audit needs on top: asking for
// named regions and groups with an error when a name does not exist (a
// misspelt 'face' would otherwise be an empty mask and score 0), and a
// nearest-neighbour resize for label maps already in memory.
//
// Resolution: Grad-CAM's raw map of a 128-pixel input is 16×16. The audit
// compares at the input resolution by default (the bilinearly upsampled map,
// lib/explain/upsample.ts, against the label map as loaded); to compare at
// the map's own resolution, resize the label map down with resizeLabels.
// Nearest neighbour keeps ids intact (averaging ids would invent regions).
import { Size, checkSize } from './checks';
import { defaultLegend, regionMask, RegionLegend } from '../data/regions';

/** The groups the audit reports on by default: the face against what is not face. */
export const AUDIT_REGIONS = ['face', 'hair', 'background', 'shirt', 'neck and ears'] as const;

/**
 * One mask per requested name, each a region of the legend or one of its
 * groups. A group none of whose members is in the legend is an error too.
 */
export function auditMasks(
  labels: Uint8Array,
  legend: RegionLegend = defaultLegend(),
  names: readonly string[] = AUDIT_REGIONS,
): Record<string, Uint8Array> {
  const masks: Record<string, Uint8Array> = {};
  const known = [...legend.regions.map((r) => r.name), ...Object.keys(legend.groups ?? {})];
  for (const name of names) {
    const region = legend.regions.find((r) => r.name === name);
    if (region) {
      masks[name] = regionMask(labels, [region.id]);
      continue;
    }
    const members = legend.groups?.[name];
    if (!members) throw new Error(`audit masks: expected a region or group named '${name}'; the legend has ${known.join(', ')}`);
    const ids = legend.regions.filter((r) => members.includes(r.name)).map((r) => r.id);
    if (ids.length === 0) {
      throw new Error(`audit masks: group '${name}' expects regions ${members.join(', ')}, none of which is in the legend`);
    }
    masks[name] = regionMask(labels, ids);
  }
  return masks;
}

/**
 * Nearest-neighbour resize with pixel-centre alignment: target pixel (y, x)
 * takes the source pixel under its centre, floor((y + ½)·H/h). Works for
 * label maps and masks alike.
 */
export function resizeLabels(labels: Uint8Array, from: Size, to: Size): Uint8Array {
  checkSize(from, 'resizeLabels from');
  checkSize(to, 'resizeLabels to');
  if (labels.length !== from.height * from.width) {
    throw new Error(`resizeLabels: expected ${from.height}×${from.width} = ${from.height * from.width} labels, got ${labels.length}`);
  }
  const out = new Uint8Array(to.height * to.width);
  const sy = from.height / to.height;
  const sx = from.width / to.width;
  for (let y = 0; y < to.height; y++) {
    const ys = Math.min(from.height - 1, Math.floor((y + 0.5) * sy));
    for (let x = 0; x < to.width; x++) {
      const xs = Math.min(from.width - 1, Math.floor((x + 0.5) * sx));
      out[y * to.width + x] = labels[ys * from.width + xs];
    }
  }
  return out;
}
