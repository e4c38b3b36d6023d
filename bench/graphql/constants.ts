// Shape of the seeded data and of the query mix; imported by the servers too, so it imports nothing.

/** Bump when the generated data change, so an older seed is rebuilt instead of reused. */
export const SEED_VERSION = 2;

export const volumes = {
  ozgServices: 600,
  leikaServices: 9_600,
  /** months of case numbers per service: 2016-01 … 2025-12 */
  months: 120,
  amts: 40,
  unitsPerAmt: 3,
  projects: 5_000,
  milestonesPerProject: 10,
  features: 50_000,
} as const;

export const BENCH_LAYER = 'bench-punkte';
export const BENCH_KPI = 'services.online_share_of_cases';
export const FIRST_YEAR = 2016;
export const LAST_YEAR = FIRST_YEAR + volumes.months / 12 - 1;

/** page sizes of the mix */
export const PAGE_SIZE = 50;
export const BBOX_PAGE = 100;
