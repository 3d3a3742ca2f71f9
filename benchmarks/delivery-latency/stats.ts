/** Percentiles of a sample, in the unit it was taken in. */
export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(sample: number[]): Summary {
  const sorted = [...sample].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    count: sorted.length,
    min: sorted[0] ?? NaN,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted.at(-1) ?? NaN,
  };
}

export function formatRow(name: string, summary: Summary): string {
  const ms = (value: number) => value.toFixed(1).padStart(8);
  return `${name.padEnd(34)} ${String(summary.count).padStart(6)} ${ms(summary.min)} ${ms(summary.p50)} ${ms(summary.p90)} ${ms(summary.p99)} ${ms(summary.max)}`;
}

export const header = `${'(milliseconds)'.padEnd(34)} ${'n'.padStart(6)} ${'min'.padStart(8)} ${'p50'.padStart(8)} ${'p90'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`;
