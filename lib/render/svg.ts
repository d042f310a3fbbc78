// A few helpers to write SVG as text (sharp renders it with librsvg).

export const FONT_FAMILY = 'DejaVu Sans, Verdana, Arial, sans-serif';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Numbers in SVG attributes: two decimals are plenty for pixels. */
export function n(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? n(v) : esc(v as string)}"`)
    .join('');
}

export interface TextStyle {
  size?: number;
  color?: string;
  anchor?: 'start' | 'middle' | 'end';
  /** Vertical placement of (x, y): the text's middle, top or baseline-ish bottom. */
  baseline?: 'middle' | 'top' | 'bottom';
  weight?: 'normal' | 'bold';
  rotate?: number;
}

/** One line of text; `baseline` is emulated with dy because librsvg's dominant-baseline support varies. */
export function text(x: number, y: number, s: string, style: TextStyle = {}): string {
  const size = style.size ?? 12;
  const dy = style.baseline === 'top' ? size * 0.8 : style.baseline === 'bottom' ? -size * 0.2 : size * 0.35;
  const transform = style.rotate ? ` transform="rotate(${n(style.rotate)} ${n(x)} ${n(y)})"` : '';
  return (
    `<text${attrs({ x, y: y + dy, 'font-size': size, fill: style.color ?? '#444', 'text-anchor': style.anchor ?? 'start', 'font-weight': style.weight })}` +
    `${transform}>${esc(s)}</text>`
  );
}

/** Rough width of a label in pixels (DejaVu Sans averages ~0.6 em). */
export function textWidth(s: string, size = 12): number {
  return s.length * size * 0.6;
}
