import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError } from '@hro/api';
import { ozgMonthlyReport, type DomainContext } from '@hro/api/domain';
import { ozgReportCsv, ozgReportXlsx } from './ozg-report.js';

interface Deps {
  contextOf: (request: FastifyRequest) => Promise<DomainContext>;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The standard monthly OZG report for the steering team: /berichte/ozg/<YYYY-MM>.csv and .xlsx
 * (any past month, as of that month's data; the current month as of today). Access is decided in
 * the domain (ozgMonthlyReport): 401 without a key or session, 403 below the steering role.
 */
export function registerReportRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { file: string } }>('/berichte/ozg/:file', async (request, reply) => {
    const match = /^(\d{4}-\d{2})\.(csv|xlsx)$/.exec(request.params.file);
    if (!match) throw new NotFoundError('Bericht', request.params.file);
    const [, month, format] = match as unknown as [string, string, 'csv' | 'xlsx'];
    const report = await ozgMonthlyReport(await deps.contextOf(request), { month });
    reply
      .header('content-disposition', `attachment; filename="ozg-monatsbericht-${month}.${format}"`)
      // internal data: never stored by a shared cache or the browser
      .header('cache-control', 'private, no-store');
    return format === 'csv'
      ? reply.type('text/csv; charset=utf-8').send(ozgReportCsv(report))
      : reply.type(XLSX).send(await ozgReportXlsx(report));
  });
}
