// A seeded pseudo-random source, so a kill schedule can be replayed from the seed in the report.

/** mulberry32: small, fast and good enough to spread kill points; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from RELIABILITY_SEED when it is a non-negative integer, otherwise a fresh one. */
export function seedFrom(value: string | undefined, fresh: () => number = Math.random): number {
  if (value !== undefined && /^\d+$/.test(value.trim())) return Number(value.trim()) >>> 0;
  return Math.floor(fresh() * 2 ** 32) >>> 0;
}
