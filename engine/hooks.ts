// State-change hooks (onCompletion, onFailure, ...). A hook that throws is logged on its run and never changes
// the run's state. At process exit, hooks run synchronously: each up to its first await.
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
  for (const hook of hooks) await callHook(hook, owner, run, state, scope);
}

/** For the 'exit' event, where no promise settles any more: what each hook does before its first await happens. */
export function runHooksAtExit<Owner, RunInfo>(
  hooks: readonly Hook<Owner, RunInfo>[] | undefined,
  owner: Owner,
  run: RunInfo,
  state: State,
  scope: RunScope,
): void {
  for (const hook of hooks ?? []) void callHook(hook, owner, run, state, scope);
}

function callHook<Owner, RunInfo>(
  hook: Hook<Owner, RunInfo>,
  owner: Owner,
  run: RunInfo,
  state: State,
  scope: RunScope,
): Promise<void> | undefined {
  const failed = (error: unknown) =>
    emitLog(scope, "error", `Hook '${hook.name || "anonymous"}' failed on state ${state.name}: ${errorText(error)}`);
  try {
    const pending = runScope.run(scope, () => hook(owner, run, state));
    return pending ? Promise.resolve(pending).catch(failed) : undefined;
  } catch (error) {
    failed(error);
    return undefined;
  }
}
