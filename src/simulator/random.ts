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

/**
 * A seed of its own for one concern, drawn from a shared seed: each concern (request faults,
 * callback faults) gets a separate sequence, so adding decisions to one leaves the other's run
 * under the same seed as it was.
 *
 * @param seed The shared seed.
 * @param label The concern, e.g. `"callbacks"`.
 * @returns A 32-bit seed.
 */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}
