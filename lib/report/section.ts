// A section of results as blocks of text, tables, figures and images: what
// each experiment's section builder (sections/*.ts) returns, the report's
// page (html.ts) and the notebooks (lib/notebook/show-section.ts) both draw.
import type { Figure } from '../render/figure';

export type ReportBlock =
  | { kind: 'figure'; figure: Figure }
  | { kind: 'table'; rows: readonly object[]; caption?: string }
  /** Text with **bold**, `code`, $TeX$ and blank-line paragraphs (what the *InWords functions return). */
  | { kind: 'text'; text: string }
  | { kind: 'images'; images: { src: string; caption: string }[] }
  | { kind: 'html'; html: string };

export interface ReportSection {
  id: string;
  title: string;
  blocks: ReportBlock[];
}
