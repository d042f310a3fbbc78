// Line, band and bar charts: the right size, each trace where its data says.
import * as assert from 'assert';
import sharp from 'sharp';
import type { Figure } from '../lib/render/figure';
import { renderFigurePng, renderFigureSvg } from '../lib/render/render';
import { formatTicks, niceTicks } from '../lib/render/ticks';

async function raw(png: Buffer) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { info, at: (x: number, y: number) => [0, 1, 2].map((c) => data[(y * info.width + x) * 3 + c]) };
}

describe('render: charts', () => {
  it('renders a line chart with a mean ± std band, legend and titles at the requested size', async () => {
    const x = [1, 2, 3, 4, 5];
    const fig: Figure = {
      data: [
        { type: 'scatter', x, y: [0.1, 0.2, 0.3, 0.4, 0.5], mode: 'lines', line: { width: 0 }, showlegend: false },
        { type: 'scatter', x, y: [0.3, 0.4, 0.5, 0.6, 0.7], mode: 'lines', fill: 'tonexty', fillcolor: 'rgba(0,0,255,0.3)', line: { width: 0 }, showlegend: false },
        { type: 'scatter', x, y: [0.2, 0.3, 0.4, 0.5, 0.6], name: 'mean', line: { color: '#ff0000' } },
        { type: 'scatter', x, y: [0.25, 0.2, 0.35, NaN, 0.5], name: 'other', line: { dash: 'dash' } },
      ],
      layout: { title: 'Accuracy', width: 500, height: 300, xaxis: { title: 'epoch' }, yaxis: { title: { text: 'accuracy' } } },
    };
    const png = await renderFigurePng(fig);
    const { info } = await raw(png);
    assert.deepStrictEqual([info.width, info.height], [500, 300]);
    const big = await sharp(await renderFigurePng(fig, { scale: 2 })).metadata();
    assert.deepStrictEqual([big.width, big.height], [1000, 600]);
    const { svg } = await renderFigureSvg(fig);
    for (const label of ['Accuracy', 'epoch', 'accuracy', 'mean', 'other']) assert.ok(svg.includes(`>${label}</text>`), `missing text "${label}"`);
    assert.ok(!svg.includes('>trace 0<'), 'traces with showlegend: false stay out of the legend');
    // The band is one closed path between the lower and the upper trace.
    assert.strictEqual((svg.match(/fill="rgba\(0,0,255,0.3\)"/g) ?? []).length, 1);
    // The NaN breaks the dashed line in two pieces.
    const dashed = /<path d="([^"]*)"[^>]*stroke-dasharray/.exec(svg);
    assert.ok(dashed);
    assert.strictEqual((dashed[1].match(/M/g) ?? []).length, 2);
  });

  it('places bars on categories with their colours, grouped side by side', async () => {
    const fig: Figure = {
      data: [
        { type: 'bar', x: ['a', 'b'], y: [1, 2], marker: { color: 'rgb(255,0,0)' }, name: 'one' },
        { type: 'bar', x: ['a', 'b'], y: [2, 1], marker: { color: 'rgb(0,0,255)' }, name: 'two' },
      ],
      layout: { width: 400, height: 300, margin: { l: 0, r: 0, t: 0, b: 0 }, showlegend: false, xaxis: { visible: false }, yaxis: { visible: false, range: [0, 2] } },
    };
    const p = await raw(await renderFigurePng(fig));
    // Category a spans x 0..200: red bar 40..120 (height 1 of 2), blue bar 120..200 (height 2 of 2).
    assert.deepStrictEqual(p.at(80, 250), [255, 0, 0]);
    assert.deepStrictEqual(p.at(80, 100), [255, 255, 255], 'red bar a ends at half height');
    assert.deepStrictEqual(p.at(160, 100), [0, 0, 255]);
    assert.deepStrictEqual(p.at(240, 100), [255, 0, 0], 'red bar b is full height');
  });

  it('draws asymmetric error bars (a bootstrap interval near 0 reaches further up than down)', async () => {
    const fig: Figure = {
      data: [{ type: 'bar', x: ['a'], y: [1], marker: { color: 'rgb(255,0,0)' }, error_y: { type: 'data', symmetric: false, array: [0.8], arrayminus: [0.2], visible: true } }],
      layout: { width: 400, height: 400, margin: { l: 0, r: 0, t: 0, b: 0 }, showlegend: false, xaxis: { visible: false }, yaxis: { visible: false, range: [0, 2] } },
    };
    const { svg } = await renderFigureSvg(fig);
    // y = 2 − v in units of 200 px: the whisker runs from v = 0.8 (y 240) to v = 1.8 (y 40).
    const whisker = /<path d="M(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)L\1,(\d+(?:\.\d+)?)/.exec(svg);
    assert.ok(whisker, svg);
    assert.deepStrictEqual([Number(whisker[2]), Number(whisker[3])], [240, 40]);
  });

  it('rejects trace types it cannot draw', async () => {
    await assert.rejects(renderFigurePng({ data: [{ type: 'pie' } as never] }), /does not draw "pie" traces/);
  });

  it('chooses nice ticks and labels them alike', () => {
    assert.deepStrictEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
    assert.deepStrictEqual(formatTicks(niceTicks(0, 1, 5)), ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    assert.deepStrictEqual(formatTicks(niceTicks(-1, 1, 4)), ['−1.0', '−0.5', '0.0', '0.5', '1.0']);
    assert.deepStrictEqual(formatTicks([0, 25000, 50000]), ['0', '25k', '50k']);
  });
});
