// Which flow run and task run the running code belongs to, carried through async calls by AsyncLocalStorage.
import { AsyncLocalStorage } from "node:async_hooks";
import type { FlowRunState } from "./flow-run-state.ts";

export interface TaskRunInfo {
  id: string;
  name: string;
  /** Its `signal` fires when the task run times out or its flow run is cancelled. */
  guard: { readonly signal: AbortSignal };
  logPrints: boolean | undefined;
}

export interface RunScope {
  flowRun: FlowRunState;
  taskRun?: TaskRunInfo;
}

/** @internal Engine-only; kept out of the published .d.ts (stripInternal), whose users may lack @types/node. */
export const runScope = new AsyncLocalStorage<RunScope>();

export function currentScope(): RunScope | undefined {
  return runScope.getStore();
}

/** What user code can read about the run it is in. */
export interface RunContext {
  flowRun: { id: string; name: string; flowName: string; parameters: Record<string, unknown> };
  taskRun?: { id: string; name: string };
  /** Fires when the current run times out or is cancelled; pass it to fetch() and friends. */
  signal: AbortSignal;
}

export function getRunContext(): RunContext {
  const scope = currentScope();
  if (!scope) throw new Error("getRunContext() was called outside a flow run: call it from a flow or a task");
  const { flowRun, taskRun } = scope;
  return {
    flowRun: { id: flowRun.id, name: flowRun.name, flowName: flowRun.flow.name, parameters: flowRun.parameters },
    taskRun: taskRun && { id: taskRun.id, name: taskRun.name },
    signal: taskRun?.guard.signal ?? flowRun.signal,
  };
}
