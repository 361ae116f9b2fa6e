/**
 * An encoder for remote-write 2.0 `io.prometheus.write.v2.Request`: series with interned
 * label strings, float samples (stale markers bit-exact), symbols written first.
 * @module
 */
import type { Labels } from '../model/mod.ts';
import { WireWriter } from './wire_writer.ts';

/**
 * Builds a 2.0 request series by series.
 *
 * @example
 * ```ts
 * const enc = new WriteRequestV2Encoder();
 * enc.addSeries(Labels.from({ __name__: 'up', job: 'a' }), [1000], [1]);
 * const body = snappyCompress(enc.finish());
 * ```
 */
export class WriteRequestV2Encoder {
  #symbols = new Map<string, number>([['', 0]]);
  #series = new WireWriter(64 * 1024);

  /**
   * Adds a series; `stale[i] === 1` writes the stale marker for sample `i`. `labels` may be
   * given as wire pairs to send them unsorted or duplicated (for tests of receivers).
   */
  addSeries(
    labels: Labels | readonly (readonly [string, string])[],
    t: ArrayLike<number>,
    v: ArrayLike<number>,
    stale?: ArrayLike<number>,
  ): void {
    const w = this.#series;
    const ts = w.begin(5);
    const refs = w.begin(1);
    if (Array.isArray(labels)) {
      for (const [n, val] of labels as readonly (readonly [string, string])[]) {
        w.varint(this.#ref(n));
        w.varint(this.#ref(val));
      }
    } else {
      const flat = (labels as Labels).flat;
      for (const s of flat) w.varint(this.#ref(s));
    }
    w.end(refs);
    for (let i = 0; i < t.length; i++) {
      const at = w.begin(2);
      if (stale !== undefined && stale[i] === 1) w.staleMarker(1);
      else if (v[i] !== 0) w.double(1, v[i]);
      if (t[i] !== 0) {
        w.tag(2, 0);
        w.varint(t[i]);
      }
      w.end(at);
    }
    w.end(ts);
  }

  /** Returns the encoded request and starts a new one. */
  finish(): Uint8Array<ArrayBuffer> {
    const out = new WireWriter(this.#series.pos + 16 * this.#symbols.size + 64);
    for (const s of this.#symbols.keys()) out.string(4, s);
    out.ensure(this.#series.pos);
    out.buf.set(this.#series.buf.subarray(0, this.#series.pos), out.pos);
    out.pos += this.#series.pos;
    this.#symbols = new Map([['', 0]]);
    this.#series.pos = 0;
    return out.result();
  }

  #ref(s: string): number {
    let r = this.#symbols.get(s);
    if (r === undefined) this.#symbols.set(s, r = this.#symbols.size);
    return r;
  }
}
