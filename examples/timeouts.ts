// Timeouts are enforced: a task that outlives timeoutSeconds ends TimedOut even if it ignores its AbortSignal,
// and retries apply. A task that blocks the event loop synchronously cannot be stopped mid-way: it ends TimedOut
// when it returns, and its result is discarded.
//   npx skein run examples/timeouts.ts:patient
import { flow, task, getRunContext } from "skein";

let attempt = 0;
export const slowService = task({ name: "slow-service", timeoutSeconds: 0.1, retries: 1, retryDelaySeconds: 0 }, async () => {
  attempt++;
  // The first attempt hangs (and would be aborted through this signal if it listened); the retry is quick.
  const { signal } = getRunContext();
  await new Promise((resolve) => setTimeout(resolve, attempt === 1 ? 10_000 : 5, { signal }).unref?.());
  return `answered on attempt ${attempt}`;
});

export const patient = flow({ name: "patient", timeoutSeconds: 5 }, async () => slowService());
