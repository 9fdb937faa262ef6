// Run events in (a run process reporting through the server; ingest is idempotent by event id, so a client may
// resend a batch whose answer it never got) and out (the live stream, as server-sent events). The stream also says
// when a flow run was deleted; that notice is not a RunEvent, so no client can delete a run by ingesting one.
import { Type, type Static } from "typebox";
import { LOG_LEVELS, type RunEvent } from "../run-events.ts";
import { Id, IsoTime, JsonObject, Name, SourceSite, State, StringList } from "./common.ts";
import { defineRoute } from "./contract.ts";
import { BoundedJson, IdentifierText, Int32 } from "./input-limits.ts";

const base = { id: Id, timestamp: IsoTime, flowRunId: Id };

const eventSchemas = [
  Type.Object({
    kind: Type.Literal("flow-run-created"),
    ...base,
    name: Name,
    flowName: Name,
    parameters: JsonObject,
    tags: StringList,
    parentFlowRunId: Type.Optional(Id),
    parentTaskRunId: Type.Optional(Id),
    entrypoint: Type.Optional(IdentifierText(4096)),
    pid: Int32,
    host: Type.Optional(IdentifierText(255)),
    state: State,
  }),
  Type.Object({
    kind: Type.Literal("task-run-created"),
    ...base,
    taskRunId: Id,
    name: Name,
    taskName: Name,
    taskKey: IdentifierText(4096),
    dynamicKey: Int32,
    upstream: StringList,
    tags: StringList,
    source: Type.Optional(SourceSite),
    state: State,
  }),
  Type.Object({
    kind: Type.Literal("task-run-inputs"),
    ...base,
    taskRunId: Id,
    inputs: Type.Optional(Type.String()),
    notStoredReason: Type.Optional(Type.String({ maxLength: 2000 })),
  }),
  Type.Object({
    kind: Type.Literal("state"),
    ...base,
    runKind: Type.Enum(["flow", "task"]),
    runId: Id,
    state: State,
    result: Type.Optional(Type.String()),
  }),
  Type.Object({
    kind: Type.Literal("log"),
    ...base,
    taskRunId: Type.Optional(Id),
    level: Type.Enum(LOG_LEVELS),
    logger: IdentifierText(500),
    message: Type.String(),
  }),
  Type.Object({
    kind: Type.Literal("artifact"),
    ...base,
    artifactId: Id,
    taskRunId: Type.Optional(Id),
    key: Type.Optional(IdentifierText(500)),
    type: Type.Enum(["markdown", "table", "link", "progress", "image"]),
    description: Type.Optional(Type.String()),
    data: BoundedJson<unknown>(),
  }),
  Type.Object({ kind: Type.Literal("artifact-updated"), ...base, artifactId: Id, data: BoundedJson<unknown>() }),
];

/** The schemas above describe exactly the RunEvent union (a field added to one side only fails to compile). */
type Described = Static<(typeof eventSchemas)[number]>;
export type EventSchemasMatch = [Described, RunEvent] extends [RunEvent, Described] ? true : never;
true satisfies EventSchemasMatch;

/** One run event; `discriminator` makes ajv report the failing field of the right event kind. */
export const RunEventSchema = Type.Unsafe<RunEvent>({
  type: "object",
  discriminator: { propertyName: "kind" },
  required: ["kind"],
  oneOf: eventSchemas,
});

/** A flow run deleted (with its task runs, logs and artifacts): only the server streams it, after deleting. */
export const RunDeletedSchema = Type.Object({ flowRunId: Id, timestamp: IsoTime });
export type RunDeleted = Static<typeof RunDeletedSchema>;

/** The `event:` names of the stream's messages; each message's data is named beside it. */
export const STREAM_EVENTS = {
  /** First message: `{ epoch }`, the server's. */
  hello: "hello",
  /** A stored run event (data: RunEvent), with an `id:` to resume after. */
  run: "run-event",
  /** A flow run deleted (data: RunDeleted), with an `id:` from the same sequence as run events. */
  deleted: "run-deleted",
  /** The server cannot resume from the id given (data: `{ reason }`): the client reloads what it shows. */
  reset: "reset",
} as const;

export const eventsApi = {
  ingest: defineRoute({
    method: "POST",
    path: "/api/events",
    body: Type.Object({ events: Type.Array(RunEventSchema, { maxItems: 20000 }) }, { additionalProperties: false }),
    response: Type.Object({ stored: Type.Integer() }),
  }),
  /** Server-sent events (STREAM_EVENTS): `hello` first, then `run-event`s (data: one RunEvent) and `run-deleted`s
   * in the order they happened, `reset` when it cannot resume. */
  stream: defineRoute({
    method: "GET",
    path: "/api/events/stream",
    querystring: Type.Object(
      {
        flowRunId: Type.Optional(Type.String({ minLength: 1 })),
        /** Only the events that may wake workers (protocol/worker-wake-ups.ts). */
        only: Type.Optional(Type.Literal("worker-wake-ups")),
        /** Resume after this event id (the Last-Event-ID header wins). */
        lastEventId: Type.Optional(Type.String({ maxLength: 100 })),
      },
      { additionalProperties: false },
    ),
    response: RunEventSchema,
    stream: true,
  }),
};
