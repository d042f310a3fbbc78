// Attribution maps over the images they explain, as Plotly figures: each
// panel is an overlay (sequential maps blended over the image; signed maps
// red positive, blue negative over a grayscale copy), embedded as an image
// trace, so the interactive figure and the PNG fallback show the same pixels.
// How a map is drawn comes from its visualisation descriptor
// (map-visualisation.ts), never from the method's name; every descriptor in a
// figure gets ONE colour scale over all its panels (seeds and expressions are
// comparable) and a colour bar with the unit and the clipping. A panel can
// carry the raw values for hovering (an invisible heatmap), which costs size:
// only for big panels.
import type { Annotation, ColorAxis, Figure, HeatmapTrace, ImageTrace } from '../render/figure';
import { divergingOverlay, RgbImage, sequentialOverlay, toPng } from '../explain/overlay';
import { titleRoom, TOOLBAR_BAND } from '../render/toolbar';
import { displayValues, MapScale, mapScale, MapVisualisation, scaleKey } from './map-visualisation';

export type { MapVisualisation } from './map-visualisation';

export interface MapPanel {
  title: string;
  image: RgbImage;
  /** H × W, at the image's resolution (upsample Grad-CAM's raw map first). */
  map?: ArrayLike<number>;
  /** How to show the map (its explainer's default visualisation); no map or no visualisation: the plain image. */
  visualisation?: MapVisualisation;
}

export interface GridOptions {
  columns?: number;
  title?: string;
  /** Pixel size of one panel (default 180). */
  panelSize?: number;
  /** Add the map values as an invisible heatmap, for hover (default false). */
  hover?: boolean;
}

/** Room a colour bar takes right of the panels (bar, tick labels, title lines of ≤ 24 characters). */
const COLOR_BAR_ROOM = 190;
const PANEL_TITLE_ROOM = 30;

async function overlayUri(p: MapPanel, values: Float32Array | undefined, scale: MapScale | undefined): Promise<string> {
  let image = p.image;
  if (values && scale) {
    image = scale.kind === 'diverging'
      ? divergingOverlay(p.image, values, { clip: scale.range[1] })
      : sequentialOverlay(p.image, values, { max: scale.range[1], scale: scale.sequentialScale }).image;
  }
  return `data:image/png;base64,${(await toPng(image)).toString('base64')}`;
}

function allZero(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
}

export async function attributionGridFigure(panels: MapPanel[], options: GridOptions = {}): Promise<Figure> {
  const columns = Math.max(1, Math.min(options.columns ?? panels.length, panels.length));
  const rows = Math.ceil(panels.length / columns);
  const size = options.panelSize ?? 180;

  // The displayed values, and one scale per descriptor over all its panels.
  const shown = panels.map((p) => (p.map && p.visualisation ? displayValues(p.map, p.image.width, p.image.height, p.visualisation) : undefined));
  const groups = new Map<string, { visualisation: MapVisualisation; members: number[] }>();
  panels.forEach((p, k) => {
    if (!shown[k] || !p.visualisation) return;
    const key = scaleKey(p.visualisation);
    const g = groups.get(key) ?? { visualisation: p.visualisation, members: [] };
    g.members.push(k);
    groups.set(key, g);
  });
  const scales = new Map<string, MapScale>();
  for (const [key, g] of groups) scales.set(key, mapScale(g.members.map((k) => shown[k]!), g.visualisation));

  // Panel titles of the first row stay below the toolbar band too.
  const top = Math.max(TOOLBAR_BAND, titleRoom(options.title));
  const right = 10 + scales.size * COLOR_BAR_ROOM;
  const width = columns * size + 10 + right;
  const height = rows * (size + PANEL_TITLE_ROOM) + top + 10;
  const gap = 0.02;
  const data: (ImageTrace | HeatmapTrace)[] = [];
  const annotations: Annotation[] = [];
  const layout: Record<string, unknown> = {};
  for (let k = 0; k < panels.length; k++) {
    const p = panels[k];
    const r = Math.floor(k / columns);
    const c = k % columns;
    const n = k === 0 ? '' : String(k + 1);
    const x0 = c / columns + gap / 2;
    const x1 = (c + 1) / columns - gap / 2;
    const y1 = 1 - (r * (size + PANEL_TITLE_ROOM) + PANEL_TITLE_ROOM) / (rows * (size + PANEL_TITLE_ROOM));
    const y0 = 1 - ((r + 1) * (size + PANEL_TITLE_ROOM)) / (rows * (size + PANEL_TITLE_ROOM)) + gap / 2;
    const scale = p.visualisation ? scales.get(scaleKey(p.visualisation)) : undefined;
    data.push({ type: 'image', source: await overlayUri(p, shown[k], scale), xaxis: `x${n}`, yaxis: `y${n}`, hoverinfo: options.hover ? 'skip' : 'name', name: p.title } as ImageTrace);
    if (options.hover && p.map) {
      const w = p.image.width;
      const z: number[][] = [];
      for (let i = 0; i < p.image.height; i++) z.push(Array.from({ length: w }, (_, j) => p.map![i * w + j]));
      data.push({ type: 'heatmap', z, opacity: 0, showscale: false, xaxis: `x${n}`, yaxis: `y${n}`, hovertemplate: 'x %{x}, y %{y}: %{z:.4g}<extra></extra>' } as HeatmapTrace);
    }
    layout[`xaxis${n}`] = { domain: [x0, x1], visible: false, anchor: `y${n}` };
    layout[`yaxis${n}`] = { domain: [y0, y1], visible: false, anchor: `x${n}`, autorange: 'reversed', scaleanchor: `x${n}` };
    // Said in words where a colour would mislead: an all-zero map looks like the bottom of the scale.
    const note = shown[k] && allZero(shown[k]!) ? 'map is all zero' : '';
    annotations.push({ text: note ? `${p.title}<br><span style="font-size:10px">${note}</span>` : p.title, x: (x0 + x1) / 2, y: y1, xref: 'paper', yref: 'paper', xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: 11 } } as Annotation);
  }

  // One colour axis (and bar) per scale, side by side right of the panels (paper x from
  // pixels: the plot area is exactly the panels' width). A bar is drawn for a colour axis
  // some trace uses: an invisible 1 × 2 heatmap on the first panel.
  [...scales.values()].forEach((scale, i) => {
    const axis = i === 0 ? 'coloraxis' : `coloraxis${i + 1}`;
    layout[axis] = {
      colorscale: scale.colorscale,
      cmin: scale.range[0],
      cmax: scale.range[1],
      colorbar: { title: { text: scale.title, side: 'top' }, thickness: 14, len: 1, y: 0.5, yanchor: 'middle', x: 1 + (10 + i * COLOR_BAR_ROOM) / (columns * size), xanchor: 'left', outlinewidth: 0 },
    } as ColorAxis;
    data.push({ type: 'heatmap', z: [[scale.range[0], scale.range[1]]], x: [0, 1], y: [0], coloraxis: axis, opacity: 0, hoverinfo: 'skip', xaxis: 'x', yaxis: 'y', name: 'colour scale' } as HeatmapTrace);
  });

  return {
    data,
    layout: {
      ...layout,
      title: options.title ? { text: options.title } : undefined,
      annotations,
      width,
      height,
      margin: { l: 10, r: right, t: top, b: 10 },
      showlegend: false,
    },
  };
}
