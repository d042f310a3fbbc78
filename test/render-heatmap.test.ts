// The PNG renderer draws heat maps and images where Plotly would, in the
// colours of the colour scale: checked pixel by pixel on tiny known figures
// with no margins, so every cell's position in the PNG is known exactly.
import * as assert from 'assert';
import sharp from 'sharp';
import { sequential } from '../lib/render/colormap';
import type { Figure } from '../lib/render/figure';
import { plotlySequential } from '../lib/render/colormap';
import { renderFigurePng } from '../lib/render/render';

type Pixel = [number, number, number];

async function pixels(fig: Figure): Promise<{ at(x: number, y: number): Pixel; width: number; height: number }> {
  const { data, info } = await sharp(await renderFigurePng(fig)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    at: (x, y) => {
      const i = (y * info.width + x) * info.channels;
      return [data[i], data[i + 1], data[i + 2]];
    },
  };
}

function near(actual: Pixel, expected: Pixel, tolerance: number, what: string): void {
  const off = Math.max(...actual.map((v, i) => Math.abs(v - expected[i])));
  assert.ok(off <= tolerance, `${what}: got rgb(${actual}), expected rgb(${expected}) ±${tolerance}`);
}

const BARE = { width: 200, height: 200, margin: { l: 0, r: 0, t: 0, b: 0 }, xaxis: { visible: false }, yaxis: { visible: false } };

describe('render: heatmap and image', () => {
  it('puts each cell where Plotly does (row 0 at the bottom) in the colour scale', async () => {
    // 2×2 cells of 100×100 px; values 0..3 span viridis from t = 0 to 1.
    const fig: Figure = { data: [{ type: 'heatmap', z: [[0, 1], [2, 3]], colorscale: plotlySequential('viridis'), showscale: false }], layout: BARE };
    const p = await pixels(fig);
    assert.deepStrictEqual([p.width, p.height], [200, 200]);
    near(p.at(50, 150), sequential(0), 1, 'z[0][0] bottom left');
    near(p.at(150, 150), sequential(1 / 3), 1, 'z[0][1] bottom right');
    near(p.at(50, 50), sequential(2 / 3), 1, 'z[1][0] top left');
    near(p.at(150, 50), sequential(1), 1, 'z[1][1] top right');
    // Cells are crisp blocks: the pixel next to a boundary still has its own cell's colour.
    near(p.at(98, 150), sequential(0), 1, 'left of the boundary');
    near(p.at(101, 150), sequential(1 / 3), 1, 'right of the boundary');
  });

  it('honours a reversed y axis, zmin/zmax clipping and leaves NaN cells empty', async () => {
    const fig: Figure = {
      data: [{ type: 'heatmap', z: [[-5, NaN], [0.5, 99]], zmin: 0, zmax: 1, colorscale: [[0, 'rgb(0,0,0)'], [1, 'rgb(255,0,0)']], showscale: false }],
      layout: { ...BARE, yaxis: { visible: false, autorange: 'reversed' } },
    };
    const p = await pixels(fig);
    near(p.at(50, 50), [0, 0, 0], 0, 'z = -5 clipped to zmin, row 0 now on top');
    near(p.at(150, 50), [255, 255, 255], 0, 'NaN shows the white background');
    near(p.at(50, 150), [128, 0, 0], 1, 'z = 0.5 half way');
    near(p.at(150, 150), [255, 0, 0], 0, 'z = 99 clipped to zmax');
  });

  it('draws an RGB image with row 0 on top and a translucent heatmap over it', async () => {
    const img = [
      [[255, 0, 0], [0, 255, 0]],
      [[0, 0, 255], [255, 255, 255]],
    ];
    const fig: Figure = {
      data: [
        { type: 'image', z: img },
        { type: 'heatmap', z: [[0, 0], [0, 1]], opacity: 0.5, colorscale: [[0, 'rgb(0,0,0)'], [1, 'rgb(0,0,0)']], showscale: false },
      ],
      layout: BARE,
    };
    const p = await pixels(fig);
    // Square pixels in a square page: the image fills it; a black heatmap at 50% halves every colour.
    near(p.at(50, 50), [128, 0, 0], 2, 'red pixel (0, 0) at top left, darkened');
    near(p.at(150, 50), [0, 128, 0], 2, 'green pixel (0, 1)');
    near(p.at(50, 150), [0, 0, 128], 2, 'blue pixel (1, 0)');
    near(p.at(150, 150), [128, 128, 128], 2, 'white pixel (1, 1)');
  });

  it('keeps image pixels square in a wide page (Plotly: scaleanchor, constrain domain)', async () => {
    const fig: Figure = { data: [{ type: 'image', z: [[[0, 0, 0]]] }], layout: { ...BARE, width: 300, height: 100 } };
    const p = await pixels(fig);
    near(p.at(150, 50), [0, 0, 0], 0, 'centre');
    near(p.at(101, 50), [0, 0, 0], 0, 'just inside the centred 100×100 square');
    near(p.at(98, 50), [255, 255, 255], 0, 'outside: page background');
  });

  it('draws a colour bar from the lowest to the highest colour', async () => {
    const fig: Figure = {
      data: [{ type: 'heatmap', z: [[0, 1]], colorscale: [[0, 'rgb(0,0,255)'], [1, 'rgb(255,255,0)']], colorbar: { thickness: 20 } }],
      layout: { ...BARE, width: 300, margin: { l: 0, r: 100, t: 0, b: 0 } },
    };
    const p = await pixels(fig);
    // Plot area 0..200; the bar starts at 1.02 × 200 = 204 and is 20 px thick.
    near(p.at(214, 197), [0, 0, 255], 12, 'bottom of the bar');
    near(p.at(214, 3), [255, 255, 0], 12, 'top of the bar');
  });

  it('refuses a colour scale name it cannot draw, naming the alternatives', async () => {
    await assert.rejects(
      renderFigurePng({ data: [{ type: 'heatmap', z: [[1]], colorscale: 'Inferno' }] }),
      /colour scale "Inferno" is not known.*plotlySequential\('inferno'\)/,
    );
  });
});
