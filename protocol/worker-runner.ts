// Messages between a worker and its runner processes (worker/runner-pool.ts, `skein worker runner`): a runner is a
// `skein` process started ahead of time, with the engine loaded, that runs the flow runs its worker hands it one
// at a time (at most `runsPerProcess` of them) and says when each has ended.

/** Worker to runner. */
export type ToRunner =
  | {
      kind: "run";
      flowRunId: string;
      entrypoint: string;
      parameters: Record<string, unknown>;
      /** The run's working folder (its deployment's working_dir): the runner moves there before the run. */
      cwd: string;
    }
  /** No more runs: end the process. */
  | { kind: "exit" };

/** Runner to worker. */
export type FromRunner =
  /** Loaded and waiting for a run. */
  | { kind: "ready" }
  /** The run has ended; `exitCode` is what `skein run` would have exited with. */
  | {
      kind: "finished";
      flowRunId: string;
      exitCode: number;
      /** Why the run could not be run at all (its file missing, its folder gone), for its record. */
      error?: string;
    };

/** The child that runs a crashed run's `onCrashed` hooks (`skein worker run-crashed-hooks`) to its worker. */
export type FromHookRunner =
  /** The flow's `retries` option: the worker starts a crashed run again while crashes do not exceed it. */
  { kind: "flow-retries"; retries: number };
