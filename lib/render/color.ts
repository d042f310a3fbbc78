// CSS colour strings <-> numbers, for the parts of a figure drawn as pixels
// (heat maps, colour scales) and for fills made from a trace's colour.
import type { RGB } from './figure';

export type RGBA = [number, number, number, number];

// The CSS names figures are likely to use; SVG output passes any other name through.
const NAMED: Record<string, string> = {
  black: '#000000', white: '#ffffff', red: '#ff0000', green: '#008000', blue: '#0000ff', gray: '#808080',
  grey: '#808080', orange: '#ffa500', purple: '#800080', yellow: '#ffff00', cyan: '#00ffff', magenta: '#ff00ff',
  brown: '#a52a2a', pink: '#ffc0cb', navy: '#000080', teal: '#008080', olive: '#808000', maroon: '#800000',
  silver: '#c0c0c0', lime: '#00ff00', gold: '#ffd700', lightgray: '#d3d3d3', lightgrey: '#d3d3d3',
  darkgray: '#a9a9a9', darkgrey: '#a9a9a9', steelblue: '#4682b4', crimson: '#dc143c', darkblue: '#00008b',
  darkred: '#8b0000', darkgreen: '#006400', firebrick: '#b22222', tomato: '#ff6347', royalblue: '#4169e1',
  seagreen: '#2e8b57', darkorange: '#ff8c00', transparent: 'rgba(0,0,0,0)',
};

/** Parses #rgb, #rrggbb, rgb(), rgba() and common CSS names; undefined when unknown. */
export function parseColor(css: string): RGBA | undefined {
  const s = (NAMED[css.trim().toLowerCase()] ?? css).trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) return [...m[1].split('').map((h) => parseInt(h + h, 16)), 1] as RGBA;
  m = /^#([0-9a-f]{6})$/.exec(s);
  if (m) return [parseInt(m[1].slice(0, 2), 16), parseInt(m[1].slice(2, 4), 16), parseInt(m[1].slice(4, 6), 16), 1];
  m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
  return undefined;
}

export function rgbCss([r, g, b]: RGB | RGBA, alpha?: number): string {
  const c = (v: number) => Math.round(Math.min(255, Math.max(0, v)));
  return alpha === undefined || alpha >= 1 ? `rgb(${c(r)},${c(g)},${c(b)})` : `rgba(${c(r)},${c(g)},${c(b)},${alpha})`;
}

/** The colour with a different opacity (for the default fill under a line). */
export function withAlpha(css: string, alpha: number): string {
  const c = parseColor(css);
  return c ? rgbCss(c, alpha * c[3]) : css;
}

/** Black or white, whichever reads better on this background. */
export function contrastText([r, g, b]: RGB | RGBA): string {
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? '#000000' : '#ffffff';
}
