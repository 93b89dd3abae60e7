import type { RunOutcome, RunReasonCode, RunState } from '../../shared/processing/run.ts';

/** What the researcher reads for each reason a run ended other than by completing. */
const MESSAGES: Partial<Record<RunReasonCode, string>> = {
  memory_limit: 'the tool was killed at its memory limit',
  exit_nonzero: 'the tool exited with an error',
  timeout: 'the tool was killed at its timeout',
  cancelled: 'the run was cancelled',
  engine_error: 'the container engine failed; the node operator can find details in its log',
  sandbox_error: 'the inputs could not be prepared; the node operator can find details in its log',
  upload_failed: 'the results could not be uploaded; the node operator can find details in its log',
  bridge_restarted: 'the bridge restarted while the tool was running; the run was stopped',
  bridge_stopped: 'the bridge was stopped while the tool was running',
  processing_disabled: 'this node does not run tools (processing is not enabled on its bridge)',
};

/** An outcome without its run, node and times: what the executor builds up as a run goes. */
export type OutcomeBody = Omit<RunOutcome, 'runId' | 'nodeId' | 'startedAt' | 'finishedAt'>;

/** Nothing read, run, logged or produced (yet). */
export const emptyOutcome = (): OutcomeBody => ({
  state: 'completed',
  exitCode: null,
  inputFiles: 0,
  logs: { stdoutBytes: 0, stderrBytes: 0, keptBytes: 0, truncated: false },
  outputs: { accepted: [], rejected: [] },
});

/** The state and reason of a run that ended for `code`. */
export const failure = (state: RunState, code: RunReasonCode): Pick<RunOutcome, 'state' | 'reason'> => ({
  state,
  reason: { code, message: MESSAGES[code] ?? code },
});
