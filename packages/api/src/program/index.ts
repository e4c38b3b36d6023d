// The program overview "Geplantes und Erreichtes" (issue 9): what the portal and the pages use of it.
export {
  programOverview,
  seesCompleteProgram,
  type ProgramOverviewRow,
  type ProgramInitiativeRow,
  type ProgramProjectRow,
} from './program.service.js';
export type { ProgramFieldRow, ProgramPillarRow, OverdueMilestoneRow, StatusCountRow } from './program.service.js';
export {
  programChanges,
  kpiDeltas,
  programMonth,
  programFeed,
  type ProgramChangeRow,
  type KpiDeltaRow,
  type ProgramMonthRow,
  type FeedEntryRow,
} from './program.month.js';
export type { ChangeCategory } from './program.month.js';
export { programPageData, PROGRAM_FEED_PATH, type ProgramPageData } from './program.page.js';
