// Timeouts are enforced: a task that outlives timeoutSeconds ends TimedOut, its AbortSignal fires (here it stops
// the wait) and retries apply. Even code that blocks the event loop is ended: a watchdog records the run TimedOut
// and ends the process about a second past the deadline (docs/engine.md).
//   npx skein run examples/timeouts.ts:patient
import { setTimeout as sleep } from "node:timers/promises";
import { flow, task, getRunContext } from "skein";

let attempt = 0;
export const slowService = task({ name: "slow-service", timeoutSeconds: 0.1, retries: 1, retryDelaySeconds: 0 }, async () => {
  attempt++;
  // The first attempt hangs until the timeout aborts it through its signal; the retry is quick.
  const { signal } = getRunContext();
  await sleep(attempt === 1 ? 10_000 : 5, undefined, { signal });
  return `answered on attempt ${attempt}`;
});

export const patient = flow({ name: "patient", timeoutSeconds: 5 }, async () => slowService());
