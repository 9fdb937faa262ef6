// State hooks, and retries that only happen for errors worth retrying.
//   npx skein run examples/hooks.ts:notifyingFlow
import { flow, task, getRunLogger, type State } from "skein";

const notify = (what: string) => (_owner: unknown, run: { name: string }, state: State) =>
  getRunLogger().info(`notify: ${what} ${run.name} ended ${state.name}`);

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

let calls = 0;
export const callApi = task(
  {
    name: "call-api",
    retries: 4,
    retryDelaySeconds: [0.01, 0.02],
    // Retry server errors, not client errors.
    retryCondition: (error) => error instanceof HttpError && error.status >= 500,
    onCompletion: [notify("task")],
    onFailure: [notify("task")],
  },
  () => {
    calls++;
    if (calls === 1) throw new HttpError(503);
    return { calls };
  },
);

export const badRequest = task({ name: "bad-request", retries: 4, retryCondition: (error) => error instanceof HttpError && error.status >= 500, onFailure: [notify("task")] }, () => {
  throw new HttpError(400);
});

export const notifyingFlow = flow(
  { name: "notifying-flow", onCompletion: [notify("flow")], onFailure: [notify("flow")], onRunning: [notify("flow (running)")] },
  async () => {
    const api = await callApi();
    const rejected = await badRequest.submit().wait();
    return { api, badRequest: rejected.name };
  },
);
