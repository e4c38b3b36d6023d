/**
 * Fault injection for the crash tests: with HRO_ETL_CRASH_AT=<step>, the process kills itself
 * with SIGKILL when the pipeline reaches that step, exactly like `kill -9` from outside would.
 * Unset (always, outside those tests) this does nothing.
 */
export const pipelineSteps = ['extract', 'copy', 'validate', 'merge', 'kpi', 'commit'] as const;
/** Reached only by runs with a direct lane (see DirectLoad): rows are in the lane's COPY, uncommitted. */
export const directLaneStep = 'direct';
export type PipelineStep = (typeof pipelineSteps)[number] | typeof directLaneStep;

export function crashPoint(step: PipelineStep): void {
  if (process.env.HRO_ETL_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
}
