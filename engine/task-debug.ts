// Running one task again with the inputs recorded for one of its task runs (`skein task-run debug`), so a developer
// can step through it: a flow run of its own, "<task> (debug)", whose one task run calls the task's function with
// those inputs. It is recorded like any run (its logs and state show in the explorer and at the task's definition),
// and runs the task once: no retries, no timeout (a run paused at a breakpoint must not be ended), no cache.
import type { FlowRunRequest } from "./flow-run.ts";
import type { FlowDefinition } from "./flow.ts";
import { type TaskDefinition, taskCallable } from "./task.ts";
import { argumentsFromNames } from "./task-inputs.ts";

export const DEBUG_TAG = "debug";

export function debugTaskRun(
  task: TaskDefinition,
  inputs: Record<string, unknown>,
  taskRunName: string,
): { definition: FlowDefinition; request: FlowRunRequest } {
  const once = taskCallable({
    ...task,
    options: {
      ...task.options,
      retries: 0,
      retryCondition: undefined,
      timeoutSeconds: undefined,
      cachePolicy: undefined,
      cacheKeyFn: undefined,
      refreshCache: undefined,
      waitFor: undefined,
    },
  });
  const args = argumentsFromNames(task.fn, inputs);
  const definition: FlowDefinition = {
    name: `${task.name} (debug)`,
    fn: () => once(...args),
    options: { flowRunName: () => `debug-${taskRunName}`, tags: [DEBUG_TAG], validateParameters: false },
    source: task.source,
  };
  return { definition, request: { args: [] } };
}
