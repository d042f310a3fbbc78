// Attribution-map figures a reader can read: one colour scale per
// visualisation descriptor over the whole grid (values known, so the scale's
// ends are known), a colour bar with the unit and the clipping, smoothing
// equal to the tensor blur, the magnitude view, the title clear of Plotly's
// toolbar in a real browser, and figures saved as PNG, SVG and PDF.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { attributionGridFigure, MapPanel } from '../lib/figures/attribution-maps';
import { displayValues, mapScale, MapVisualisation } from '../lib/figures/map-visualisation';
import { blurMap, gaussianBlur } from '../lib/explain/gaussian-blur';
import { percentile } from '../lib/explain/percentile';
import { diverging, sequential } from '../lib/render/colormap';
import type { ColorAxis, Figure, HeatmapTrace, ImageTrace } from '../lib/render/figure';
import { decodeImage } from '../lib/render/raster';
import { renderFigureSvg } from '../lib/render/render';
import { saveFigure } from '../lib/render/save-figure';
import { clearOfToolbar, TOOLBAR_BAND } from '../lib/render/toolbar';
import { renderReportHtml } from '../lib/report/html';
import { withHeadlessPage } from './headless-page';

const W = 8;
const SEQ: MapVisualisation = { scale: 'sequential', unit: 'logit', label: 'Grad-CAM' };
const DIV: MapVisualisation = { scale: 'diverging', unit: 'logit', label: 'GradientSHAP φ' };

function grey(level = 128) {
  return { width: W, height: W, data: new Uint8Array(W * W * 3).fill(level) };
}

/** A ramp 0, 1, …, 63 times `k` (row-major 8 × 8). */
function ramp(k: number, offset = 0): Float32Array {
  return Float32Array.from({ length: W * W }, (_, i) => k * (i + offset));
}

async function pixel(trace: ImageTrace, x: number, y: number): Promise<number[]> {
  const img = await decodeImage(trace.source!);
  const i = (y * img.width + x) * 4;
  return [img.rgba[i], img.rgba[i + 1], img.rgba[i + 2]];
}

function blend(base: number, colour: number, a: number): number {
  return Math.round((1 - a) * base + a * colour);
}

describe('map visualisation: one scale per descriptor', () => {
  it('a sequential grid shares 0 … max over all its panels, so panels compare', async () => {
    const panels: MapPanel[] = [
      { title: 'seed 1', image: grey(), map: ramp(1), visualisation: SEQ },
      { title: 'seed 2', image: grey(), map: ramp(2), visualisation: SEQ },
    ];
    const fig = await attributionGridFigure(panels);
    const axis = fig.layout!.coloraxis as ColorAxis;
    assert.deepStrictEqual([axis.cmin, axis.cmax], [0, 126], 'the largest value of either panel');
    assert.match(String((axis.colorbar!.title as { text: string }).text), /^Grad-CAM \(logit\)$/);
    // The last pixel of panel 1 (63) sits at the middle of the shared scale, not at its top.
    const [first, second] = fig.data.filter((t): t is ImageTrace => t.type === 'image');
    const mid = sequential(63 / 126);
    assert.deepStrictEqual(await pixel(first, 7, 7), mid.map((c) => blend(128, c, 0.5)));
    assert.deepStrictEqual(await pixel(second, 7, 7), sequential(1).map((c) => blend(128, c, 0.5)));
    // The bar is carried by an invisible heatmap on the shared colour axis.
    const carriers = fig.data.filter((t): t is HeatmapTrace => t.type === 'heatmap' && t.coloraxis === 'coloraxis');
    assert.strictEqual(carriers.length, 1);
    assert.strictEqual(carriers[0].opacity, 0);
  });

  it('a diverging grid is symmetric around 0, clipped at the stated percentile of |value| over the grid', async () => {
    const a = ramp(1, -32); // −32 … 31
    const b = ramp(0.5, -10);
    const fig = await attributionGridFigure([
      { title: 'a', image: grey(), map: a, visualisation: DIV },
      { title: 'b', image: grey(), map: b, visualisation: DIV },
    ]);
    const clip = percentile(Float64Array.from([...a, ...b], Math.abs), 99);
    const axis = fig.layout!.coloraxis as ColorAxis;
    assert.ok(Math.abs(axis.cmax! - clip) < 1e-9 && axis.cmin === -axis.cmax!, JSON.stringify([axis.cmin, axis.cmax, clip]));
    const title = (axis.colorbar!.title as { text: string }).text;
    assert.ok(/^GradientSHAP φ \(logit\)<br>±[\d.]+ = p99 of \|value\|,<br>larger values clipped$/.test(title), title);
    // −32 is beyond the clip: full blue over the grey copy; 0 shows the plain (grey) image.
    const [first] = fig.data.filter((t): t is ImageTrace => t.type === 'image');
    assert.deepStrictEqual(await pixel(first, 0, 0), diverging(-1).map((c) => blend(128, c, 0.8)));
    assert.deepStrictEqual(await pixel(first, 0, 4), [128, 128, 128], 'value 0 at (row 4, column 0)');
  });

  it('different descriptors get their own colour bars; a plain image gets none', async () => {
    const fig = await attributionGridFigure([
      { title: 'input', image: grey() },
      { title: 'cam', image: grey(), map: ramp(1), visualisation: SEQ },
      { title: 'shap', image: grey(), map: ramp(1, -32), visualisation: DIV },
    ], { title: 'Two methods' });
    const axes = Object.keys(fig.layout!).filter((k) => /^coloraxis\d*$/.test(k));
    assert.deepStrictEqual(axes, ['coloraxis', 'coloraxis2']);
    const { svg } = await renderFigureSvg(fig);
    assert.strictEqual((svg.match(/<linearGradient/g) ?? []).length, 2, 'two bars in the PNG too');
    assert.ok(svg.includes('Grad-CAM (logit)') && svg.includes('GradientSHAP φ (logit)'), 'units on the bars');
    assert.ok(svg.includes('= p99 of |value|,'));
  });

  it('smoothing equals the tensor Gaussian blur; the absolute view is |value| on a sequential scale', () => {
    const map = Float32Array.from({ length: 12 * 10 }, (_, i) => Math.sin(i * 1.7) * (i % 7));
    const expected = tf.tidy(() => gaussianBlur(tf.tensor4d(map, [1, 10, 12, 1]), 1.5).dataSync());
    const mine = blurMap(map, 12, 10, 1.5);
    assert.ok(mine.every((v, i) => Math.abs(v - expected[i]) < 1e-5), 'blurMap = gaussianBlur');
    const shown = displayValues(map, 12, 10, { ...DIV, smooth: 1.5, absolute: true });
    assert.ok(shown.every((v, i) => Math.abs(v - Math.abs(mine[i])) < 1e-6));
    const scale = mapScale([shown], { ...DIV, smooth: 1.5, absolute: true });
    assert.strictEqual(scale.kind, 'sequential');
    assert.strictEqual(scale.range[0], 0);
    assert.ok(Math.abs(scale.range[1] - percentile(Float64Array.from(shown), 99)) < 1e-9);
    assert.match(scale.title, /^\|GradientSHAP φ\| \(logit\)<br>smoothed, σ 1\.5 px<br>[\d.]+ = p99 of values,/);
  });

  it('rejects a descriptor without a unit or with an impossible percentile, before drawing', () => {
    assert.throws(() => mapScale([ramp(1)], { scale: 'sequential', unit: '' }), /give the unit/);
    assert.throws(() => mapScale([ramp(1)], { ...DIV, clipPercentile: 0 }), /clipPercentile must be in \(0, 100\]/);
    assert.throws(() => mapScale([ramp(1)], { ...DIV, scale: 'gradcam' as never }), /scale must be 'sequential' or 'diverging'/);
  });

  it('says "map is all zero" under a panel whose map is zero everywhere', async () => {
    const fig = await attributionGridFigure([{ title: 'dead', image: grey(), map: new Float32Array(W * W), visualisation: SEQ }]);
    assert.match(fig.layout!.annotations![0].text, /map is all zero/);
  });
});

describe('figure titles and the toolbar', () => {
  it('pins a title below the toolbar band and makes room for it', () => {
    const fig = clearOfToolbar({ data: [], layout: { title: { text: 'A<br>B' }, margin: { t: 20 } } });
    const title = fig.layout!.title as Record<string, unknown>;
    assert.deepStrictEqual([title.yref, title.y, title.yanchor, title.pad], ['container', 1, 'top', { t: TOOLBAR_BAND }]);
    assert.ok(fig.layout!.margin!.t! >= TOOLBAR_BAND + 2 * 20, `margin ${fig.layout!.margin!.t}`);
  });

  it('in Chromium: titles never under the toolbar, and every colour bar drawn', async function () {
    this.timeout(120_000);
    const grid = await attributionGridFigure([
      { title: 'cam', image: grey(), map: ramp(1), visualisation: SEQ },
      { title: 'shap', image: grey(), map: ramp(1, -32), visualisation: DIV },
    ], { panelSize: 160, title: 'A long title that would run under the toolbar of a narrow figure' });
    const bars: Figure = {
      data: [{ type: 'bar', x: ['a', 'b'], y: [1, 2] }],
      layout: { title: { text: 'Another long title for a narrow bar chart here' }, width: 360, height: 300 },
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-toolbar-'));
    try {
      const file = path.join(dir, 'page.html');
      fs.writeFileSync(file, renderReportHtml('figures', [{ id: 'f', title: 'f', blocks: [{ kind: 'figure', figure: grid }, { kind: 'figure', figure: bars }] }]).html);
      await withHeadlessPage(file, async (tab, problems) => {
        await tab.waitForFunction(`document.querySelectorAll('.report-figure-plot .main-svg').length >= 2`, undefined, { timeout: 30_000 });
        const boxes = (await tab.evaluate(`[...document.querySelectorAll('.report-figure-plot')].map((p) => {
          p.dispatchEvent(new MouseEvent('mousemove', { bubbles: true }));
          const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
          const buttons = [...p.querySelectorAll('.modebar-btn')].map(box);
          return { title: box(p.querySelector('.gtitle')), buttons, colorbars: p.querySelectorAll('.colorbar').length };
        })`)) as { title: number[]; buttons: number[][]; colorbars: number }[];
        assert.deepStrictEqual(boxes.map((b) => b.colorbars), [2, 0]);
        for (const b of boxes) {
          assert.ok(b.buttons.length > 0, 'the toolbar is there');
          const overlaps = b.buttons.filter((m) => m[0] < b.title[2] && b.title[0] < m[2] && m[1] < b.title[3] && b.title[1] < m[3]);
          assert.deepStrictEqual(overlaps, [], `title ${JSON.stringify(b.title)} under toolbar buttons`);
        }
        assert.deepStrictEqual(problems, []);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('saveFigure', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-save-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fig: Figure = { data: [{ type: 'scatter', x: [1, 2, 3], y: [1, 4, 9] }], layout: { title: { text: 'squares' }, width: 400, height: 300 } };

  it('writes PNG (2× by default) and SVG without a browser', async () => {
    const png = await saveFigure(fig, path.join(dir, 'f.png'));
    assert.deepStrictEqual(await sharp(png).metadata().then((m) => [m.format, m.width, m.height]), ['png', 800, 600]);
    const svg = fs.readFileSync(await saveFigure(fig, path.join(dir, 'f.svg')), 'utf8');
    assert.ok(svg.startsWith('<svg') && svg.includes('>squares</text>'));
  });

  it('writes a one-page vector PDF of the figure size through Chromium', async function () {
    this.timeout(120_000);
    const pdf = fs.readFileSync(await saveFigure(fig, path.join(dir, 'f.pdf')));
    assert.strictEqual(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = pdf.toString('latin1');
    assert.strictEqual((text.match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, 'one page');
    // 400 × 300 CSS px = 300 × 225 pt.
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(text);
    assert.ok(box && Math.abs(Number(box[1]) - 300) < 1 && Math.abs(Number(box[2]) - 225) < 1, `MediaBox ${box?.[0]}`);
  });

  it('refuses an unknown extension before drawing anything', async () => {
    await assert.rejects(saveFigure(fig, path.join(dir, 'f.jpg')), /f\.jpg: cannot tell the format from "\.jpg"; expected \.png, \.svg or \.pdf/);
    assert.ok(!fs.existsSync(path.join(dir, 'f.jpg')));
  });
});
