// The exported HTML page of 00-environment, opened in headless Chromium:
// every figure is drawn (interactive plotly.js SVG, or the PNG fallback with
// a real size) and the page logs no errors. Uses the notebook run of the
// notebook test (one execution per test process).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MATH_STATE, MathState, withHeadlessPage } from './headless-page';
import { checkExecuted } from '../lib/notebook/check';
import { NOTEBOOKS_DIR } from '../lib/notebook/discover';
import { exportNotebookHtml } from '../lib/notebook/export-html';
import { executeOnce, SMALL_ENV } from '../lib/notebook/run-once';

describe('export: 00-environment as a standalone page', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-export-test-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('draws every figure in Chromium with no console errors', async () => {
    const run = await executeOnce(path.join(NOTEBOOKS_DIR, '00-environment.ipynb'), { env: SMALL_ENV, cellTimeoutSec: 600, timeoutSec: 590 });
    assert.ok(run.notebook, run.stderr);
    assert.deepStrictEqual(checkExecuted(run.notebook), [], 'the notebook itself failed (see the notebook test)');
    const page = await exportNotebookHtml(run.output, dir);
    const html = fs.readFileSync(page, 'utf8');
    assert.ok(!/file:\/\/\/usr\/share\/javascript/.test(html), 'no references to Debian-local scripts');

    await withHeadlessPage(page, async (tab, problems) => {
    await tab.waitForFunction(() => document.querySelectorAll('.smile-lens-plotly svg.main-svg, .smile-lens-plotly-live').length > 0, undefined, { timeout: 30_000 });
    await tab.waitForTimeout(300);
    // A string, not a function: tsx would add helpers (__name) that do not exist in the page.
    const figures = (await tab.evaluate(`[...document.querySelectorAll('.smile-lens-plotly')].map((n) => {
      const size = (e) => (e ? [e.getBoundingClientRect().width, e.getBoundingClientRect().height] : [0, 0]);
      const img = n.querySelector('img.smile-lens-png');
      return { svg: size(n.querySelector('svg.main-svg')), png: size(img), pngLoaded: !!img && img.naturalWidth > 0 };
    })`)) as { svg: number[]; png: number[]; pngLoaded: boolean }[];
    assert.strictEqual(figures.length, 1, JSON.stringify(figures));
    for (const f of figures) {
      const drawn = (f.svg[0] > 100 && f.svg[1] > 100) || (f.pngLoaded && f.png[0] > 100 && f.png[1] > 100);
      assert.ok(drawn, `figure not drawn: ${JSON.stringify(f)}`);
    }
    // plotly.js is embedded, so here the interactive plot replaced the PNG.
    assert.deepStrictEqual(figures[0].svg, [640, 360]);
    assert.deepStrictEqual(problems, []);
    });
  });

  // The committed notebooks, as they are: nothing is executed.
  for (const [name, formulas] of [['04-gradcam', 2], ['05-gradientshap', 1]] as const) {
    it(`${name}: formulas typeset offline by the inlined KaTeX, none left as raw TeX`, async () => {
      const page = await exportNotebookHtml(path.join(NOTEBOOKS_DIR, `${name}.ipynb`), dir, { plotly: false });
      const html = fs.readFileSync(page, 'utf8');
      assert.ok(!/<script[^>]+src=/i.test(html), 'no external script');
      assert.ok(!/MathJax/.test(html.replace(/<script[\s\S]*?<\/script>/g, '')), 'no MathJax (the page helper fails on any request to the network)');
      assert.ok(html.includes('$$'), 'the page carries its TeX (typeset in the browser)');
      await withHeadlessPage(page, async (tab, problems) => {
        await tab.evaluate('document.fonts.ready');
        const math = (await tab.evaluate(MATH_STATE)) as MathState;
        assert.ok(math.display >= formulas, `display formulas typeset: ${JSON.stringify(math)}`);
        assert.ok(math.katex > math.display, `inline formulas typeset too: ${JSON.stringify(math)}`);
        assert.deepStrictEqual([math.rawDisplay, math.rawTex, math.errors], [0, [], []], 'raw TeX left visible');
        assert.ok(math.fontsLoaded, 'the KaTeX fonts (data URIs) loaded');
        assert.deepStrictEqual(problems, []);
      });
    });
  }
});
