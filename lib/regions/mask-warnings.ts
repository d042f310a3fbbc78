// What a masker could not do well on an image, by kind, so the audit can
// count and print them ("no face found: 3 images, e.g. …") instead of
// leaving them in a JSON file nobody reads.

export interface MaskWarning {
  /** A short fixed name: how warnings are counted. */
  kind: string;
  /** The full sentence for this image. */
  message: string;
}

export interface WarningCount {
  kind: string;
  images: number;
  /** A few images it happened on, with their message. */
  examples: { image: string; message: string }[];
}

/** Counts warnings per kind over images. */
export class WarningTally {
  private readonly byKind = new Map<string, WarningCount>();
  constructor(private readonly examples = 3) {}

  add(image: string, warnings: readonly MaskWarning[]): void {
    const seen = new Set<string>();
    for (const w of warnings) {
      let count = this.byKind.get(w.kind);
      if (!count) this.byKind.set(w.kind, (count = { kind: w.kind, images: 0, examples: [] }));
      if (!seen.has(w.kind)) count.images++;
      seen.add(w.kind);
      if (count.examples.length < this.examples) count.examples.push({ image, message: w.message });
    }
  }

  counts(): WarningCount[] {
    return [...this.byKind.values()].sort((a, b) => b.images - a.images || a.kind.localeCompare(b.kind));
  }

  /** One line per kind, for the terminal. */
  lines(total: number): string[] {
    return this.counts().map((c) => `${c.kind}: ${c.images}/${total} image(s), e.g. ${c.examples.map((e) => `${e.image} (${e.message})`).join('; ')}`);
  }
}
