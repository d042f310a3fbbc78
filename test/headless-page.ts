// Opens a local page in Debian's Chromium (headless, no network services) and
// collects what would make it wrong: console errors, page errors, failed or
// outgoing (non-file, non-data) requests. Shared by the page tests.
import * as assert from 'assert';
import * as fs from 'fs';
import { chromium, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function withHeadlessPage(file: string, check: (tab: Page, problems: string[]) => Promise<void>): Promise<void> {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run \`bash scripts/setup.sh\``);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const tab = await browser.newPage();
    const problems: string[] = [];
    tab.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    tab.on('requestfailed', (r) => problems.push(`request failed: ${r.url().slice(0, 120)}`));
    tab.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && problems.push(`network request: ${r.url().slice(0, 120)}`));
    await tab.goto(`file://${file}`, { waitUntil: 'load' });
    await check(tab, problems);
  } finally {
    await browser.close();
  }
}

/** Typeset formulas and what is left raw, in the page's visible text (a string, for page.evaluate: tsx adds helpers a function would carry). */
export const MATH_STATE = `(() => {
  const text = document.body.innerText;
  return {
    katex: document.querySelectorAll('.katex').length,
    display: document.querySelectorAll('.katex-display').length,
    errors: [...document.querySelectorAll('.katex-error')].map((e) => e.textContent),
    rawDisplay: (text.match(/\\$\\$/g) || []).length,
    rawTex: (text.match(/\\\\(frac|sum|alpha|nabla|mathrm|varphi)\\b/g) || []).slice(0, 5),
    fontsLoaded: document.fonts.check('16px KaTeX_Main') && document.fonts.check('16px KaTeX_Math'),
  };
})()`;

export interface MathState {
  katex: number;
  display: number;
  errors: string[];
  rawDisplay: number;
  rawTex: string[];
  fontsLoaded: boolean;
}
