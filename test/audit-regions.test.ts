import * as assert from 'assert';
import { auditMasks, resizeLabels } from '../lib/audit/region-masks';
import { defaultLegend, regionId } from '../lib/data/regions';

const B = regionId('background');
const H = regionId('hair');
const S = regionId('face skin');
const M = regionId('mouth');
const E = regionId('eyes');
const W = regionId('brows');
const T = regionId('shirt');
const N = regionId('neck and ears');

describe('audit: region masks', () => {
  // 4×4 label map:
  //   H H H H
  //   H W W H
  //   B E S B
  //   T M N T
  const labels = Uint8Array.from([H, H, H, H, H, W, W, H, B, E, S, B, T, M, N, T]);

  it('gives the audit regions: face = face skin ∪ mouth ∪ eyes ∪ brows, the rest by region', () => {
    const masks = auditMasks(labels);
    assert.deepStrictEqual(Object.keys(masks), ['face', 'hair', 'background', 'shirt', 'neck and ears']);
    assert.deepStrictEqual([...masks.face], [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0]);
    assert.deepStrictEqual([...masks.hair], [1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepStrictEqual([...masks.shirt], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]);
    // The audit regions are disjoint and cover the picture.
    const cover = labels.map((_, i) => Object.values(masks).reduce((s, m) => s + m[i], 0));
    assert.deepStrictEqual([...cover], new Array(16).fill(1));
    // Any region or group of the legend can be asked for.
    assert.deepStrictEqual([...auditMasks(labels, defaultLegend(), ['eyes']).eyes], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('refuses a name the legend does not have, and a group with no member in it', () => {
    assert.throws(() => auditMasks(labels, defaultLegend(), ['fcae']), /expected a region or group named 'fcae'; the legend has background, hair/);
    const legend = { ...defaultLegend(), regions: defaultLegend().regions.filter((r) => ['background', 'hair'].includes(r.name)) };
    assert.throws(() => auditMasks(labels, legend, ['face']), /group 'face' expects regions face skin, mouth, eyes, brows, none of which is in the legend/);
  });

  it('resizes a label map by nearest neighbour at pixel centres, keeping ids intact', () => {
    // Down 4×4 → 2×2: target (y, x) samples source (2y + 1, 2x + 1).
    assert.deepStrictEqual([...resizeLabels(labels, { height: 4, width: 4 }, { height: 2, width: 2 })], [W, H, M, T]);
    // Up 2×2 → 4×4: every source pixel becomes a 2×2 block.
    const up = resizeLabels(Uint8Array.from([1, 2, 3, 4]), { height: 2, width: 2 }, { height: 4, width: 4 });
    assert.deepStrictEqual([...up], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    // Non-integer ratio 3 → 2: centres at 0.75 and 2.25 → source 0 and 2.
    assert.deepStrictEqual([...resizeLabels(Uint8Array.from([7, 8, 9]), { height: 1, width: 3 }, { height: 1, width: 2 })], [7, 9]);
    assert.throws(() => resizeLabels(labels, { height: 3, width: 4 }, { height: 2, width: 2 }), /expected 3×4 = 12 labels, got 16/);
  });
});
