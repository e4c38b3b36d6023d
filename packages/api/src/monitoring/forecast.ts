import { addMonths, monthIndex } from './calendar.js';

/** One month of the OZG progress: the last snapshot of KPI services.online in that month. */
export interface ProgressPoint {
  month: string;
  /** OZG services at model-1.1 level ≥ 3 (null: withheld for a small count) */
  online: number | null;
  /** all OZG services (the KPI's denominator) */
  total: number | null;
  runId: number;
  computedAt: Date;
  suppressed: boolean;
}

export const FORECAST_METHOD =
  'Lineare Regression (kleinste Quadrate) der monatlichen Anzahl online verfügbarer OZG-Leistungen (Kennzahl services.online, ' +
  'letzter Stand je Monat) über die letzten Monate mit Daten; Prognose ist der erste Monat, in dem die Trendgerade die Gesamtzahl ' +
  'der OZG-Leistungen des letzten Stands erreicht.';

export const FORECAST_LIMITS =
  'Setzt voraus, dass das Tempo der letzten Monate anhält; berücksichtigt weder Zieldaten noch Kapazitäten, noch dass die letzten ' +
  'Leistungen oft die schwierigsten sind. Mindestens drei Monate mit Daten nötig; bei gleichbleibender oder sinkender Zahl gibt es ' +
  'keine Prognose. Monate ohne Datenstand fehlen in der Reihe (kein Nullwert); zurückgehaltene Werte (1–4) zählen nicht mit.';

export type ForecastReason = 'reached' | 'too_few_months' | 'flat_or_falling' | null;

export interface Forecast {
  method: string;
  limits: string;
  /** the points the trend was fitted to, oldest first */
  points: ProgressPoint[];
  /** services per month (least-squares slope); null with fewer than three points */
  slopePerMonth: number | null;
  /** the trend line's value in the first month of the points */
  intercept: number | null;
  total: number | null;
  open: number | null;
  /** the first month in which the trend reaches the total; null when there is no forecast */
  reachMonth: string | null;
  /** why reachMonth is null (or 'reached': nothing is open) */
  reason: ForecastReason;
}

/**
 * Fits y = a + b·x by least squares to the last `window` points with a value, x counting calendar
 * months from the first of them (a month without data leaves a gap, it is not a zero), and returns
 * the first month whose trend value reaches the latest total: ceil((total − a) / b), at least the
 * month after the latest point while services are open. No forecast with fewer than 3 points or
 * a slope ≤ 0.
 */
export function linearForecast(all: ProgressPoint[], window: number): Forecast {
  const usable = all.filter((p) => p.online !== null && p.total !== null).slice(-window);
  const base = { method: FORECAST_METHOD, limits: FORECAST_LIMITS, points: usable };
  const latest = usable.at(-1);
  const total = latest?.total ?? null;
  const open = latest && latest.total !== null && latest.online !== null ? Math.max(0, latest.total - latest.online) : null;
  if (!latest || usable.length < 3) {
    return { ...base, slopePerMonth: null, intercept: null, total, open, reachMonth: null, reason: 'too_few_months' };
  }
  const first = usable[0]!.month;
  const xs = usable.map((p) => monthIndex(p.month) - monthIndex(first));
  const ys = usable.map((p) => p.online as number);
  const n = usable.length;
  const meanX = xs.reduce((s, x) => s + x, 0) / n;
  const meanY = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - meanX) * (ys[i]! - meanY);
    sxx += (xs[i]! - meanX) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  if (open === 0) return { ...base, slopePerMonth: slope, intercept, total, open, reachMonth: latest.month, reason: 'reached' };
  if (!(slope > 1e-9)) return { ...base, slopePerMonth: slope, intercept, total, open, reachMonth: null, reason: 'flat_or_falling' };
  const lastX = xs[n - 1]!;
  const reachX = Math.max(Math.ceil(((total as number) - intercept) / slope - 1e-9), lastX + 1);
  return { ...base, slopePerMonth: slope, intercept, total, open, reachMonth: addMonths(first, reachX), reason: null };
}
