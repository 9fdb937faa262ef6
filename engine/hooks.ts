// State-change hooks (onCompletion, onFailure, ...). A hook that throws is logged on its run and never changes
// the run's state.
import type { State } from "../protocol/states.ts";
import type { RunScope } from "./context.ts";
import { runScope } from "./context.ts";
import { emitLog } from "./logging.ts";
import { errorText } from "./errors.ts";

export type Hook<Owner, RunInfo> = (owner: Owner, run: RunInfo, state: State) => void | Promise<void>;

export async function runHooks<Owner, RunInfo>(
  hooks: readonly Hook<Owner, RunInfo>[] | undefined,
  owner: Owner,
  run: RunInfo,
  state: State,
  scope: RunScope,
): Promise<void> {
  if (!hooks?.length) return;
  for (const hook of hooks) {
    try {
      await runScope.run(scope, () => hook(owner, run, state));
    } catch (error) {
      emitLog(scope, "error", `Hook '${hook.name || "anonymous"}' failed on state ${state.name}: ${errorText(error)}`);
    }
  }
}
