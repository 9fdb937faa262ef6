// Fallbacks: allowFailure lets a downstream task run even if its upstream failed (it receives the error), a
// task whose upstream failed without it ends NotReady, and waitFor orders runs without passing data.
//   npx skein run examples/fallback.ts:withFallback
import { flow, task, allowFailure, runFlow } from "skein";

export const primarySource = task({ name: "primary-source" }, (): string[] => {
  throw new Error("primary source is down");
});

export const pick = task({ name: "pick" }, (primary: string[] | Error) => (primary instanceof Error ? ["cached", "rows"] : primary));

export const strict = task({ name: "strict" }, (rows: string[]) => rows.length);

export const audit = task({ name: "audit" }, () => "audited");

export const withFallback = flow({ name: "with-fallback" }, async () => {
  const primary = primarySource.submit();
  const rows = await pick(allowFailure(primary));
  // Without allowFailure this one never runs: it ends NotReady.
  const notReady = strict.submit(primary);
  const afterAudit = audit.withOptions({ waitFor: [notReady] }).submit();
  const states = { strict: (await notReady.wait()).name, audit: (await afterAudit.wait()).name };
  return { rows, states };
});

/** runFlow with returnState gives the final State instead of throwing. */
export const inspectFailure = flow({ name: "inspect-failure" }, async () => {
  const failing = flow({ name: "always-fails" }, async () => primarySource());
  const state = await runFlow(failing, [], { returnState: true });
  return { type: state.type, name: state.name, message: state.message };
});
