// The display path into a notebook, with a stand-in for tslab's writer: a
// figure is ONE display_data with Plotly JSON (an object), PNG and text; a
// progress line is one display updated in place, throttled, ending exact.
import * as assert from 'assert';
import sharp from 'sharp';
import { plainFigure, PLOTLY_MIME, showHtml, showPlotly } from '../lib/notebook/display';
import { inNotebook, sendDisplayData } from '../lib/util/kernel-display';
import { createProgress } from '../lib/progress/reporter';
import { formatProgress } from '../lib/progress/format';
import type { Figure } from '../lib/render/figure';

interface Sent {
  content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string } };
  update: boolean;
}

/** Pretends to be the kernel's tslab/dist/jupyter.js (what kernel-display looks for in require.cache). */
function fakeKernel(): { sent: Sent[]; remove(): void } {
  const key = '/fake-kernel/node_modules/tslab/dist/jupyter.js';
  const sent: Sent[] = [];
  require.cache[key] = { exports: { lastWriteDisplayData: (content: Sent['content'], update: boolean) => sent.push({ content, update }) } } as NodeJS.Module;
  return { sent, remove: () => delete require.cache[key] };
}

describe('notebook display', () => {
  it('sends nothing outside a kernel', () => {
    assert.strictEqual(inNotebook(), false);
    assert.strictEqual(sendDisplayData({ 'text/plain': 'x' }), false);
  });

  it('turns a figure into plain JSON: typed arrays to arrays, NaN to null, titles to { text }', () => {
    const fig = plainFigure({
      data: [{ type: 'heatmap', z: [Float32Array.from([1, NaN])], colorbar: { title: 'm' } }],
      layout: { title: 'T', xaxis: { title: 'x' }, yaxis2: { title: { text: 'y' } } },
    } as Figure);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(fig)), {
      data: [{ type: 'heatmap', z: [[1, null]], colorbar: { title: { text: 'm' } } }],
      // The title goes below the toolbar band (lib/render/toolbar.ts), with room for it.
      layout: { title: { text: 'T', yref: 'container', y: 1, yanchor: 'top', pad: { t: 30 } }, margin: { t: 100 }, xaxis: { title: { text: 'x' } }, yaxis2: { title: { text: 'y' } } },
    });
  });

  it('shows a Plotly figure as one output: the JSON object, a PNG of the layout size, one line of text', async () => {
    const kernel = fakeKernel();
    try {
      assert.strictEqual(inNotebook(), true);
      await showPlotly({ data: [{ type: 'bar', x: ['a', 'b'], y: [1, 2] }], layout: { title: 'Bars', width: 320, height: 200 } });
      assert.strictEqual(kernel.sent.length, 1);
      const { content, update } = kernel.sent[0];
      assert.strictEqual(update, false);
      assert.deepStrictEqual(Object.keys(content.data).sort(), ['application/vnd.plotly.v1+json', 'image/png', 'text/plain']);
      const fig = content.data[PLOTLY_MIME] as Figure;
      assert.strictEqual(typeof fig, 'object');
      assert.deepStrictEqual(fig.data[0].y, [1, 2]);
      assert.deepStrictEqual(fig.layout?.title, { text: 'Bars', yref: 'container', y: 1, yanchor: 'top', pad: { t: 30 } });
      const png = await sharp(Buffer.from(content.data['image/png'] as string, 'base64')).metadata();
      assert.deepStrictEqual([png.width, png.height], [320, 200]);
      assert.strictEqual(content.data['text/plain'], 'Plotly figure: Bars (bar), PNG 320×200');
      showHtml('<b>hi</b>');
      assert.deepStrictEqual(kernel.sent[1].content.data, { 'text/html': '<b>hi</b>', 'text/plain': '[HTML]' });
    } finally {
      kernel.remove();
    }
  });

  it('updates one progress display in place, at most every 250 ms, and ends on the exact count', () => {
    const kernel = fakeKernel();
    let now = 0;
    try {
      const progress = createProgress('items', 100, { now: () => now });
      for (let i = 0; i < 100; i++) {
        now += 10; // 100 ticks over 1 s
        progress.tick();
      }
      progress.done();
      const ids = new Set(kernel.sent.map((s) => s.content.transient.display_id));
      assert.strictEqual(ids.size, 1, 'one display id');
      assert.strictEqual(kernel.sent[0].update, false);
      assert.ok(kernel.sent.slice(1).every((s) => s.update), 'later messages are updates');
      // Ticks at 10, 20, ... 1000 ms: sent at 10, 260, 510, 760, then the final state.
      assert.strictEqual(kernel.sent.length, 5, `${kernel.sent.length} messages`);
      const last = kernel.sent[kernel.sent.length - 1].content.data;
      assert.strictEqual(last['text/plain'], 'items 100/100 100% | 100/s | 1s elapsed');
      assert.match(String(last['text/html']), /<progress value="100" max="100"/);
    } finally {
      kernel.remove();
    }
  });

  it('formats count, rate and ETA', () => {
    assert.strictEqual(formatProgress('train', 120, 500, 4), 'train 120/500 24% | 30.0/s | 4s elapsed | ETA 13s');
    assert.strictEqual(formatProgress('epochs', 1, 30, 90), 'epochs 1/30 3% | 90.0 s each | 1m30s elapsed | ETA 43m30s');
    assert.strictEqual(formatProgress('x', 0, 10, 0), 'x 0/10 0% | ?/s | 0s elapsed | ETA ?');
  });

  it('rewrites one terminal line on a TTY and prints the final line once', () => {
    let written = '';
    const stream = { isTTY: true, columns: 80, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const progress = createProgress('files', 3, { mode: 'terminal', stream, now: () => 1000 });
    progress.tick();
    progress.tick();
    progress.tick();
    progress.done();
    assert.strictEqual((written.match(/\r\x1b\[K/g) ?? []).length, 4, JSON.stringify(written));
    assert.strictEqual((written.match(/\n/g) ?? []).length, 1);
    assert.ok(written.endsWith('files 3/3 100% | ?/s | 0s elapsed\n'), JSON.stringify(written));
  });
});
