import { authorize, runAction } from '../access/index.js';
import type { DomainContext } from '../domain/context.js';
import { addMonths, currentMonth, parseMonth } from '../monitoring/calendar.js';
import type { Forecast } from '../monitoring/forecast.js';
import { ozgForecast, ozgOverview, type OzgOverview } from '../monitoring/monitoring.service.js';
import { programMonth, type ProgramMonthRow } from './program.month.js';
import { programOverview, type ProgramOverviewRow } from './program.service.js';

export const PROGRAM_FEED_PATH = '/programm/feed.atom';

/** Everything the monthly "Geplantes und Erreichtes" page shows, as the viewer may see it. */
export interface ProgramPageData {
  month: ProgramMonthRow;
  /** the plan as of the month's Stichtag: fields, pillars, Vorhaben, projects */
  overview: ProgramOverviewRow;
  /** the OZG-Monitoring as of the same Stichtag, and the forecast */
  ozg: { overview: OzgOverview; forecast: Forecast };
  previousMonth: string;
  /** null for the current month */
  nextMonth: string | null;
  feedPath: string;
  /** internal entries included (steering team) */
  complete: boolean;
}

/**
 * The data of the page "Geplantes und Erreichtes" for a month (default: the current one), for the
 * portal's pages to render: public parts for everyone, complete for the steering team.
 */
export function programPageData(ctx: DomainContext, args: { month?: string | null } = {}): Promise<ProgramPageData> {
  return runAction(ctx, 'program.page', async (c) => {
    authorize(c, 'open.read');
    const month = parseMonth(args.month ?? currentMonth(), 'month');
    const summary = await programMonth(c, { month, driverProjects: false });
    const [overview, ozg, forecast] = await Promise.all([
      programOverview(c, { stichtag: summary.stichtag }),
      ozgOverview(c, { stichtag: summary.stichtag }),
      ozgForecast(c, { stichtag: summary.stichtag }),
    ]);
    return {
      month: { ...summary, driverProjects: overview.driverProjects },
      overview,
      ozg: { overview: ozg, forecast },
      previousMonth: addMonths(month, -1),
      nextMonth: summary.preliminary ? null : addMonths(month, 1),
      feedPath: PROGRAM_FEED_PATH,
      complete: summary.complete,
    };
  });
}
