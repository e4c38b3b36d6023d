/**
 * How many cases each property-based ("fuzz") test runs: `HRO_FUZZ_RUNS` (10,000 for a nightly
 * run), else a CI-sized default that keeps `npm test` quick. Every fuzz test prints its size once,
 * so a log shows how hard the parsers were pushed.
 */
export function fuzzRuns(ciDefault: number): number {
  const configured = Number(process.env.HRO_FUZZ_RUNS);
  return Number.isInteger(configured) && configured > 0 ? configured : ciDefault;
}
