import * as assert from 'assert';
import { diverging, plotlyDiverging, plotlySequential, SEQUENTIAL_NAMES, sequential } from '../lib/render/colormap';

describe('colour scales', () => {
  it('viridis and inferno hit matplotlib’s table entries at their anchors', () => {
    assert.deepStrictEqual(sequential(0), [68, 1, 84]); // viridis #440154
    assert.deepStrictEqual(sequential(1), [253, 231, 37]); // #fde725
    assert.deepStrictEqual(sequential(128 / 255), [33, 145, 140]); // entry 128, #21918c
    assert.deepStrictEqual(sequential(0, 'inferno'), [0, 0, 4]);
    assert.deepStrictEqual(sequential(128 / 255, 'inferno'), [188, 55, 84]); // #bc3754
    assert.deepStrictEqual(sequential(1, 'inferno'), [252, 255, 164]);
    // Between anchors the scale is linear, close to the full table: matplotlib's
    // viridis entries 8, 120 and 248, times 255, against tolerances of 1, 1 and
    // 6 (the blue channel bends between the last two anchors).
    const table: [number, number[], number][] = [
      [8, [0.277018, 0.050344, 0.375715], 1],
      [120, [0.13777, 0.537492, 0.554906], 1],
      [248, [0.926106, 0.89733, 0.104071], 6],
    ];
    for (const [entry, rgb, tolerance] of table) {
      const got = sequential(entry / 255);
      rgb.forEach((v, k) => assert.ok(Math.abs(got[k] - 255 * v) <= tolerance, `viridis(${entry}/255) = ${got}`));
    }
  });

  it('jet is matplotlib’s piecewise-linear definition', () => {
    assert.deepStrictEqual(sequential(0, 'jet'), [0, 0, 128]);
    assert.deepStrictEqual(sequential(0.5, 'jet'), [123, 255, 123]); // r: 0.15/0.31, g: 1, b: 0.15/0.31
    assert.deepStrictEqual(sequential(0.125, 'jet'), [0, 0, 255]);
    assert.deepStrictEqual(sequential(1, 'jet'), [128, 0, 0]);
  });

  it('clamps out-of-range t and treats NaN as 0', () => {
    assert.deepStrictEqual(sequential(-3), sequential(0));
    assert.deepStrictEqual(sequential(7, 'jet'), sequential(1, 'jet'));
    assert.deepStrictEqual(sequential(NaN), sequential(0));
    assert.deepStrictEqual(diverging(NaN), [255, 255, 255]);
    assert.deepStrictEqual(diverging(5), diverging(1));
    assert.throws(() => sequential(0.5, 'rainbow' as never), /unknown sequential scale "rainbow"/);
  });

  it('diverging: white at 0, red for positive, blue for negative, symmetric in strength', () => {
    assert.deepStrictEqual(diverging(0), [255, 255, 255]);
    assert.deepStrictEqual(diverging(1), [103, 0, 31]); // RdBu #67001f
    assert.deepStrictEqual(diverging(-1), [5, 48, 97]); // RdBu #053061
    let previous = diverging(0);
    for (const t of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      const [r, g, b] = diverging(t);
      assert.ok(r > g && r > b, `red at ${t}`);
      assert.ok(g <= previous[1], 'fading from white');
      previous = [r, g, b];
      const [r2, , b2] = diverging(-t);
      assert.ok(b2 > r2, `blue at ${-t}`);
    }
    assert.deepStrictEqual(diverging(0.05), [255, Math.round(255 + 0.25 * (219 - 255)), Math.round(255 + 0.25 * (199 - 255))]);
  });

  it('gives Plotly colourscales of the same colours', () => {
    for (const name of SEQUENTIAL_NAMES) {
      const scale = plotlySequential(name);
      assert.strictEqual(scale[0][0], 0);
      assert.strictEqual(scale[scale.length - 1][0], 1);
      for (let i = 1; i < scale.length; i++) assert.ok(scale[i][0] > scale[i - 1][0]);
      for (const [t, colour] of scale) assert.strictEqual(colour, `rgb(${sequential(t, name).join(',')})`);
    }
    const div = plotlyDiverging();
    assert.deepStrictEqual(div[5], [0.5, 'rgb(255,255,255)']);
    for (const [t, colour] of div) assert.strictEqual(colour, `rgb(${diverging(2 * t - 1).join(',')})`);
  });
});
