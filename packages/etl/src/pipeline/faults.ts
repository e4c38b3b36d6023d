/**
 * Fault injection for the crash tests: with HRO_ETL_CRASH_AT=<step>, the process kills itself
 * with SIGKILL when the pipeline reaches that step, exactly like `kill -9` from outside would.
 * Unset (always, outside those tests) this does nothing.
 */
export const pipelineSteps = ['extract', 'copy', 'validate', 'merge', 'kpi', 'commit'] as const;
export type PipelineStep = (typeof pipelineSteps)[number];

export function crashPoint(step: PipelineStep): void {
  if (process.env.HRO_ETL_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
}
