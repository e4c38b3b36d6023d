// The OZG-Monitoring (issue 9): what the portal, the pages and the etl use of it.
export {
  listOzgServices,
  ozgGaps,
  ozgOverview,
  ozgProgress,
  ozgForecast,
  targetHistoryOf,
  mayChangeTargets,
} from './monitoring.service.js';
export type { OzgServiceRow, OzgServiceFilter, OzgOverview, OzgTargetRow, DataStand } from './monitoring.service.js';
export { setServiceTarget, removeServiceTarget, type TargetInput } from './monitoring.targets.js';
export { ozgMonthlyReport, type OzgMonthlyReport, type ReportCell } from './monitoring.report.js';
export {
  OZG_REPORT_COLUMNS,
  STATUS_LABELS,
  STATUS_DEFINITION,
  GAP_DEFINITION,
  type ReportColumn,
  type OzgStatus,
} from './monitoring.definitions.js';
export { linearForecast, FORECAST_METHOD, FORECAST_LIMITS, type Forecast, type ProgressPoint } from './forecast.js';
export { currentMonth, todayInBerlin, monthName, parseMonth, addMonths, lastDayOfMonth } from './calendar.js';
