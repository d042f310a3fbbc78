// Attribution maps over the images they explain, as Plotly figures: each
// panel is the overlay smile-lens writes as PNG (Grad-CAM: sequential scale
// blended over the image; GradientSHAP: diverging, red positive, blue
// negative, over a grayscale copy, clipped at a percentile of |values|),
// embedded as an image trace, so the interactive figure, the PNG fallback and
// the files on disk show the same pixels. A panel can carry the raw values
// for hovering (an invisible heatmap), which costs size: only for big panels.
import type { Figure, HeatmapTrace, ImageTrace, Annotation } from '../render/figure';
import { gradCamOverlay, RgbImage, shapOverlay, toPng } from '../explain/overlay';
import { explainer } from '../explain/registry';

export interface MapPanel {
  title: string;
  image: RgbImage;
  /** H × W, at the image's resolution (upsample Grad-CAM's raw map first). */
  map?: ArrayLike<number>;
  /** The method that made the map (its display scale is used); no map: the plain image. */
  method?: string;
}

export interface GridOptions {
  columns?: number;
  title?: string;
  /** Pixel size of one panel (default 180). */
  panelSize?: number;
  /** GradientSHAP clip percentile of |values| (default 99). */
  percentile?: number;
  /** Add the map values as an invisible heatmap, for hover (default false). */
  hover?: boolean;
}

async function panelSource(p: MapPanel, percentile: number): Promise<{ uri: string; note: string }> {
  let image = p.image;
  let note = '';
  const scale = p.map && p.method ? explainer(p.method).display.scale : undefined;
  if (p.map && scale === 'sequential') {
    const o = gradCamOverlay(p.image, p.map);
    image = o.image;
    note = o.max > 0 ? `max ${o.max.toPrecision(3)}` : 'all zero';
  } else if (p.map && scale === 'diverging') {
    const o = shapOverlay(p.image, p.map, { percentile });
    image = o.image;
    note = `±${o.clip.toPrecision(3)} (p${o.percentile})`;
  }
  return { uri: `data:image/png;base64,${(await toPng(image)).toString('base64')}`, note };
}

export async function attributionGridFigure(panels: MapPanel[], options: GridOptions = {}): Promise<Figure> {
  const columns = Math.max(1, Math.min(options.columns ?? panels.length, panels.length));
  const rows = Math.ceil(panels.length / columns);
  const size = options.panelSize ?? 180;
  const percentile = options.percentile ?? 99;
  const titleSpace = options.title ? 50 : 10;
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
    const y1 = 1 - r / rows - 0.12 / rows;
    const y0 = 1 - (r + 1) / rows + gap / 2;
    const { uri, note } = await panelSource(p, percentile);
    data.push({ type: 'image', source: uri, xaxis: `x${n}`, yaxis: `y${n}`, hoverinfo: options.hover ? 'skip' : undefined, name: p.title } as ImageTrace);
    if (options.hover && p.map) {
      const w = p.image.width;
      const z: number[][] = [];
      for (let i = 0; i < p.image.height; i++) z.push(Array.from({ length: w }, (_, j) => p.map![i * w + j]));
      data.push({ type: 'heatmap', z, opacity: 0, showscale: false, xaxis: `x${n}`, yaxis: `y${n}`, hovertemplate: 'x %{x}, y %{y}: %{z:.4g}<extra></extra>' } as HeatmapTrace);
    }
    layout[`xaxis${n}`] = { domain: [x0, x1], visible: false, anchor: `y${n}` };
    layout[`yaxis${n}`] = { domain: [y0, y1], visible: false, anchor: `x${n}`, autorange: 'reversed', scaleanchor: `x${n}` };
    annotations.push({ text: note ? `${p.title}<br><span style="font-size:10px">${note}</span>` : p.title, x: (x0 + x1) / 2, y: y1, xref: 'paper', yref: 'paper', xanchor: 'center', yanchor: 'bottom', showarrow: false, font: { size: 11 } } as Annotation);
  }
  return {
    data,
    layout: {
      ...layout,
      title: options.title ? { text: options.title } : undefined,
      annotations,
      width: columns * size + 20,
      height: rows * (size + 30) + titleSpace,
      margin: { l: 10, r: 10, t: titleSpace, b: 10 },
      showlegend: false,
    },
  };
}
