/**
 * Metronome-style run ids: the UTC creation time as yyyyMMddHHmmss followed by five random
 * letters and digits, e.g. "20260122101500a1b2c". They sort by creation time.
 */
export function runIdFor(createdAtMs: number, randomSuffix: string): string {
  const stamp = new Date(createdAtMs).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}${randomSuffix
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 5)
    .padEnd(5, '0')}`;
}
