/** A small seeded PRNG (mulberry32), so that ids and faults repeat under the same seed. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** `length` lowercase hex digits. */
  hex(length: number): string;
}

/**
 * Creates a seeded generator.
 *
 * @param seed Any 32-bit integer.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (length: number) => {
    let out = "";
    while (out.length < length) out += Math.floor(next() * 16).toString(16);
    return out;
  };
  return { next, hex };
}
