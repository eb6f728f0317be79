/** Seeded PRNG (mulberry32) so the randomised cross-checks are the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integers 0..max−1: small ranges give plenty of ties, which is what the tie handling needs. */
export function randomInts(rand: () => number, length: number, max: number): number[] {
  return Array.from({ length }, () => Math.floor(rand() * max));
}
