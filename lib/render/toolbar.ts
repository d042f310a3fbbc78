// Plotly's toolbar (the mode bar) sits in a band at the top right of every
// interactive figure and covers whatever is drawn there, which by default is
// the middle of the title. Every figure smile-lens shows therefore gets its
// title pinned below that band (at the top of the figure, padded down by the
// band's height) and a top margin tall enough for band and title.
import type { Figure, Layout, TextSpec } from './figure';
import { textOf } from './figure';

/** The mode bar's band, in pixels from the top of the figure (its buttons are ~25 px tall). */
export const TOOLBAR_BAND = 30;
/** Height of one line of a figure title (Plotly's default 17 px font). */
export const TITLE_LINE = 22;

/** The top margin a title of this text needs below the toolbar band. */
export function titleRoom(title: TextSpec | undefined): number {
  const text = textOf(title);
  return text ? TOOLBAR_BAND + TITLE_LINE * text.split(/<br\s*\/?>/i).length + 8 : 0;
}

/** A copy of the figure with its title below the toolbar band (figures that place their title themselves are left alone). */
export function clearOfToolbar(fig: Figure): Figure {
  const layout: Layout = { ...(fig.layout ?? {}) };
  const text = textOf(layout.title);
  if (!text) return { ...fig, layout };
  const title = typeof layout.title === 'object' ? { ...layout.title } : { text };
  const placed = title as Record<string, unknown>;
  if (placed.y !== undefined || placed.yanchor !== undefined) return { ...fig, layout };
  Object.assign(placed, { yref: 'container', y: 1, yanchor: 'top', pad: { t: TOOLBAR_BAND } });
  layout.title = title;
  // Plotly's default top margin is 100 px.
  layout.margin = { ...(layout.margin ?? {}), t: Math.max(layout.margin?.t ?? 100, titleRoom(text)) };
  return { ...fig, layout };
}
