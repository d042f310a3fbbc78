import * as assert from 'assert';
import { attributionShare, attributionShares } from '../lib/audit/attribution-share';

const close = (a: number, b: number, what = '', tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} ≠ ${b}`);

describe('audit: attribution share', () => {
  // 4×4 picture: hair = top row (4 px, area 1/4), face = middle 2×2 (4 px, 1/4), background = the other 8 (1/2).
  const hair = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const face = Uint8Array.from([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  const background = hair.map((h, i) => (h || face[i] ? 0 : 1));
  const masks = { hair, face, background };

  it('gives share 1 to the region holding all of the map and 0 elsewhere, with the ratio to the area', () => {
    const map = Float32Array.from(face, (v) => v * 3);
    const s = attributionShares(map, masks);
    assert.strictEqual(s.regions.face.positiveShare, 1);
    assert.strictEqual(s.regions.face.absoluteShare, 1);
    assert.strictEqual(s.regions.hair.positiveShare, 0);
    assert.strictEqual(s.regions.background.absoluteShare, 0);
    assert.strictEqual(s.regions.face.area, 0.25);
    assert.strictEqual(s.regions.face.positiveRatio, 4); // all the mass on a quarter of the picture
    assert.strictEqual(s.rest.pixels, 0);
    assert.strictEqual(s.positiveMass, 12);
  });

  it('gives a uniform map exactly the area shares (ratio 1)', () => {
    const s = attributionShares(new Float32Array(16).fill(0.7), masks);
    for (const [name, area] of [['hair', 0.25], ['face', 0.25], ['background', 0.5]] as const) {
      close(s.regions[name].positiveShare, area, name);
      close(s.regions[name].absoluteShare, area, name);
      close(s.regions[name].positiveRatio, 1, name);
    }
  });

  it('ignores negative values in the positive share and counts them in the absolute share', () => {
    // Hair: four pixels of −1; face: four of +1; background: one pixel of +2, the rest 0.
    const map = new Float32Array(16);
    hair.forEach((v, i) => v && (map[i] = -1));
    face.forEach((v, i) => v && (map[i] = 1));
    map[15] = 2;
    const s = attributionShares(map, masks);
    // positive mass 4 + 2 = 6; absolute mass 4 + 4 + 2 = 10
    close(s.regions.face.positiveShare, 4 / 6, 'face +');
    close(s.regions.hair.positiveShare, 0, 'hair +');
    close(s.regions.background.positiveShare, 2 / 6, 'background +');
    close(s.regions.face.absoluteShare, 4 / 10, 'face |·|');
    close(s.regions.hair.absoluteShare, 4 / 10, 'hair |·|');
    close(s.regions.hair.absoluteRatio, 0.4 / 0.25, 'hair ratio');
    close(s.regions.background.absoluteShare, 2 / 10, 'background |·|');
  });

  it('flags an all-zero map (NaN shares) and a map without positive values', () => {
    const zero = attributionShares(new Float32Array(16), masks);
    assert.ok(zero.allZero && zero.noPositiveMass);
    assert.ok(Number.isNaN(zero.regions.face.positiveShare) && Number.isNaN(zero.regions.face.absoluteShare));
    assert.strictEqual(zero.regions.face.area, 0.25); // the area is still known
    const negative = attributionShares(new Float32Array(16).fill(-1), masks);
    assert.ok(negative.noPositiveMass && !negative.allZero);
    assert.ok(Number.isNaN(negative.regions.hair.positiveShare));
    close(negative.regions.hair.absoluteShare, 0.25, 'negative |·|');
  });

  it('reports what no mask covers, NaN ratio for an empty region, and refuses bad input', () => {
    const map = new Float32Array(16).fill(1);
    const s = attributionShares(map, { hair, empty: new Uint8Array(16) });
    close(s.rest.positiveShare, 0.75, 'rest');
    assert.strictEqual(s.regions.empty.positiveShare, 0);
    assert.ok(Number.isNaN(s.regions.empty.positiveRatio));
    close(attributionShare(map, [true, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false]).positiveShare, 1 / 16);
    assert.throws(() => attributionShares(map, { hair: new Uint8Array(9) }), /mask 'hair': expected 16 values \(the map's size\), got 9/);
    assert.throws(() => attributionShares(Float32Array.from([1, NaN]), {}), /expected finite values, found NaN at index 1/);
  });
});
