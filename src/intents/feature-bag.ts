/**
 * A phrasing's raw features, kept compact. A matcher holds every phrasing's
 * features for the next rebuild; as Maps of strings, CLINC150's 15,000
 * phrasings took 97 MB of its 127 MB heap. Packed, each is two typed arrays
 * of ids into one shared table of feature names.
 */

/** Raw features, however they are held: a Map (a message), or packed (a phrasing). */
export interface FeatureBag {
  readonly size: number;
  forEach(fn: (count: number, feature: string) => void): void;
}

/** The table of feature names a matcher's packed phrasings share; it only grows, edit after edit. */
export class FeatureNames {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  pack(features: ReadonlyMap<string, number>): PackedFeatures {
    const ids = new Int32Array(features.size);
    const counts = new Float32Array(features.size);
    let i = 0;
    for (const [name, count] of features) {
      let id = this.ids.get(name);
      if (id === undefined) {
        id = this.names.push(name) - 1;
        this.ids.set(name, id);
      }
      ids[i] = id;
      counts[i++] = count;
    }
    return new PackedFeatures(this.names, ids, counts);
  }
}

/** Counts are multiples of 1/4 (function words count a quarter): a Float32 holds them exactly. */
export class PackedFeatures implements FeatureBag {
  constructor(
    private readonly names: readonly string[],
    private readonly ids: Int32Array,
    private readonly counts: Float32Array,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  forEach(fn: (count: number, feature: string) => void): void {
    for (let i = 0; i < this.ids.length; i++) fn(this.counts[i] as number, this.names[this.ids[i] as number] as string);
  }
}
