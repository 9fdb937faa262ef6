// Builds realistic run events for tests of the run views (extension and webview): a flow run with task runs,
// states, logs, artifacts and subflows, with unique event ids and increasing timestamps.
import type { ArtifactType, LogLevel, RunEvent } from "../protocol/run-events.ts";
import type { State, StateDetails, StateType } from "../protocol/states.ts";

export class RunEventBuilder {
  private sequence = 0;
  private readonly start: number;

  constructor(start = "2026-11-30T10:00:00.000Z") {
    this.start = Date.parse(start);
  }

  private next(): { id: string; timestamp: string } {
    this.sequence += 1;
    return { id: `event-${this.sequence}`, timestamp: new Date(this.start + this.sequence * 250).toISOString() };
  }

  state(type: StateType, name: string, details?: StateDetails, message?: string): State {
    return {
      type,
      name: name as State["name"],
      timestamp: this.next().timestamp,
      ...(details ? { details } : {}),
      ...(message ? { message } : {}),
    };
  }

  flowRun(
    flowRunId: string,
    options: {
      name?: string;
      flowName?: string;
      parameters?: Record<string, unknown>;
      parent?: { flowRunId: string; taskRunId?: string };
      entrypoint?: string;
      tags?: string[];
    } = {},
  ): RunEvent {
    const { id, timestamp } = this.next();
    return {
      kind: "flow-run-created",
      id,
      timestamp,
      flowRunId,
      name: options.name ?? `run-${flowRunId}`,
      flowName: options.flowName ?? "etl",
      parameters: options.parameters ?? {},
      tags: options.tags ?? [],
      pid: 4242,
      state: { type: "PENDING", name: "Pending", timestamp },
      ...(options.parent
        ? { parentFlowRunId: options.parent.flowRunId, parentTaskRunId: options.parent.taskRunId }
        : {}),
      ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
    };
  }

  taskRun(
    flowRunId: string,
    taskRunId: string,
    name: string,
    upstream: string[] = [],
    taskKey = `${name}@flows.ts:1`,
  ): RunEvent {
    const { id, timestamp } = this.next();
    return {
      kind: "task-run-created",
      id,
      timestamp,
      flowRunId,
      taskRunId,
      name,
      taskName: name,
      taskKey,
      dynamicKey: 0,
      upstream,
      tags: [],
      state: { type: "PENDING", name: "Pending", timestamp },
    };
  }

  transition(
    flowRunId: string,
    runKind: "flow" | "task",
    runId: string,
    type: StateType,
    name: string,
    extra: { details?: StateDetails; result?: string; message?: string } = {},
  ): RunEvent {
    const { id, timestamp } = this.next();
    return {
      kind: "state",
      id,
      timestamp,
      flowRunId,
      runKind,
      runId,
      state: {
        type,
        name: name as State["name"],
        timestamp,
        ...(extra.details ? { details: extra.details } : {}),
        ...(extra.message ? { message: extra.message } : {}),
      },
      ...(extra.result !== undefined ? { result: extra.result } : {}),
    };
  }

  log(flowRunId: string, message: string, taskRunId?: string, level: LogLevel = "info"): RunEvent {
    const { id, timestamp } = this.next();
    return { kind: "log", id, timestamp, flowRunId, taskRunId, level, logger: "skein", message };
  }

  artifact(
    flowRunId: string,
    artifactId: string,
    type: ArtifactType,
    data: unknown,
    extra: { key?: string; taskRunId?: string; description?: string } = {},
  ): RunEvent {
    const { id, timestamp } = this.next();
    return { kind: "artifact", id, timestamp, flowRunId, artifactId, type, data, ...extra };
  }

  /** A finished run: `etl` with extract -> transform -> load, a cache hit, a failure with a stack, logs. */
  completedRun(
    flowRunId: string,
    options: { parameters?: Record<string, unknown>; name?: string; fail?: boolean } = {},
  ): RunEvent[] {
    const t = (suffix: string) => `${flowRunId}-${suffix}`;
    return [
      this.flowRun(flowRunId, {
        name: options.name,
        parameters: options.parameters ?? { date: "2026-11-30", limit: 10 },
        entrypoint: "flows/etl.ts:etl",
        tags: ["nightly"],
      }),
      this.transition(flowRunId, "flow", flowRunId, "RUNNING", "Running"),
      this.taskRun(flowRunId, t("extract"), "extract-0"),
      this.transition(flowRunId, "task", t("extract"), "RUNNING", "Running"),
      this.log(flowRunId, "fetched 10 rows", t("extract")),
      this.transition(flowRunId, "task", t("extract"), "COMPLETED", "Cached", {
        details: { cacheKey: "extract:2026-11-30", cachedFromTaskRunId: "older-extract" },
        result: '{"rows":10}',
      }),
      this.taskRun(flowRunId, t("transform"), "transform-0", [t("extract")]),
      this.transition(flowRunId, "task", t("transform"), "RUNNING", "Running"),
      this.log(flowRunId, `transformed rows for ${flowRunId}`, t("transform")),
      options.fail
        ? this.transition(flowRunId, "task", t("transform"), "FAILED", "Failed", {
            details: { error: "Error: bad row 7\n    at transform (flows/etl.ts:12:11)" },
            message: "bad row 7",
          })
        : this.transition(flowRunId, "task", t("transform"), "COMPLETED", "Completed", { result: '{"rows":9}' }),
      this.artifact(flowRunId, t("report"), "markdown", "# Report", { key: "etl-report", taskRunId: t("transform") }),
      this.transition(
        flowRunId,
        "flow",
        flowRunId,
        options.fail ? "FAILED" : "COMPLETED",
        options.fail ? "Failed" : "Completed",
      ),
    ];
  }
}
