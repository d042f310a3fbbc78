import * as assert from 'assert';
import { edgeExcess } from '../lib/audit/edge-excess';

describe('audit: edge excess of a map', () => {
  const size = { height: 8, width: 10 };
  it('is 1 on every side for a uniform map, whatever its sign', () => {
    const e = edgeExcess(new Float32Array(80).fill(-0.3), size, 2);
    for (const side of ['top', 'bottom', 'left', 'right'] as const) assert.ok(Math.abs(e[side] - 1) < 1e-12, `${side} ${e[side]}`);
  });

  it('measures a stripe: all mass in the last column is W/band times the band area share on the right', () => {
    const map = new Float32Array(80);
    for (let y = 0; y < 8; y++) map[y * 10 + 9] = y % 2 ? 1 : -1;
    const e = edgeExcess(map, size, 2);
    // right band: 2 of 10 columns hold all |mass| → 1 / (2/10) = 5; left band none;
    // top band: 2 of 8 rows hold 2 of the 8 values → (2/8) / (2/8) = 1.
    assert.deepStrictEqual([e.right, e.left, e.top, e.bottom], [5, 0, 1, 1]);
  });

  it('is NaN for a zero map and rejects a bad band or size', () => {
    assert.ok(Number.isNaN(edgeExcess(new Float32Array(80), size).right));
    assert.throws(() => edgeExcess(new Float32Array(80), size, 5), /band must be an integer in 1…4/);
    assert.throws(() => edgeExcess(new Float32Array(79), size), /expected 8×10 = 80 values, got 79/);
  });
});
