// JSON schemas of what clients send: fastify validates every body, query and path against them (ajv) and
// answers 400 with the failing field before a handler runs, so handlers can trust their input.
import { LOG_LEVELS } from "../run-events.ts";
import { STATE_NAMES, STATE_TYPES } from "../states.ts";

const isoTime = { type: "string", minLength: 10, maxLength: 40 } as const;
// PostgreSQL text cannot hold NUL: refused here with a 400 rather than failing in the database with a 500.
const noNul = "^[^\\u0000]*$";
const id = { type: "string", minLength: 1, maxLength: 200, pattern: noNul } as const;
const name = { type: "string", minLength: 1, maxLength: 500, pattern: noNul } as const;

export const stateSchema = {
  type: "object",
  required: ["type", "name", "timestamp"],
  properties: {
    type: { enum: [...STATE_TYPES] },
    name: { enum: Object.keys(STATE_NAMES) },
    message: { type: "string" },
    timestamp: isoTime,
    details: { type: "object" },
  },
} as const;

const base = { id, timestamp: isoTime, flowRunId: id };
const stringList = { type: "array", items: { type: "string" } } as const;

const eventSchemas = [
  {
    type: "object",
    required: ["kind", "id", "timestamp", "flowRunId", "name", "flowName", "parameters", "tags", "pid", "state"],
    properties: {
      ...base,
      kind: { const: "flow-run-created" },
      name,
      flowName: name,
      parameters: { type: "object" },
      tags: stringList,
      parentFlowRunId: id,
      parentTaskRunId: id,
      entrypoint: { type: "string" },
      pid: { type: "integer" },
      host: { type: "string", maxLength: 255 },
      state: stateSchema,
    },
  },
  {
    type: "object",
    required: [
      "kind",
      "id",
      "timestamp",
      "flowRunId",
      "taskRunId",
      "name",
      "taskKey",
      "dynamicKey",
      "upstream",
      "tags",
      "state",
    ],
    properties: {
      ...base,
      kind: { const: "task-run-created" },
      taskRunId: id,
      name,
      taskKey: { type: "string" },
      dynamicKey: { type: "integer" },
      upstream: stringList,
      tags: stringList,
      state: stateSchema,
    },
  },
  {
    type: "object",
    required: ["kind", "id", "timestamp", "flowRunId", "runKind", "runId", "state"],
    properties: {
      ...base,
      kind: { const: "state" },
      runKind: { enum: ["flow", "task"] },
      runId: id,
      state: stateSchema,
      result: { type: "string" },
    },
  },
  {
    type: "object",
    required: ["kind", "id", "timestamp", "flowRunId", "level", "logger", "message"],
    properties: {
      ...base,
      kind: { const: "log" },
      taskRunId: id,
      level: { enum: [...LOG_LEVELS] },
      logger: { type: "string" },
      message: { type: "string" },
    },
  },
  {
    type: "object",
    required: ["kind", "id", "timestamp", "flowRunId", "artifactId", "type", "data"],
    properties: {
      ...base,
      kind: { const: "artifact" },
      artifactId: id,
      taskRunId: id,
      key: { type: "string" },
      type: { enum: ["markdown", "table", "link", "progress", "image"] },
      description: { type: "string" },
      data: {},
    },
  },
  {
    type: "object",
    required: ["kind", "id", "timestamp", "flowRunId", "artifactId", "data"],
    properties: { ...base, kind: { const: "artifact-updated" }, artifactId: id, data: {} },
  },
];

/** One batch of run events; `discriminator` makes ajv report the failing field of the right event kind. */
export const eventBatchSchema = {
  type: "object",
  required: ["events"],
  additionalProperties: false,
  properties: {
    events: {
      type: "array",
      maxItems: 20000,
      items: { type: "object", discriminator: { propertyName: "kind" }, required: ["kind"], oneOf: eventSchemas },
    },
  },
} as const;

export const idParams = { type: "object", required: ["id"], properties: { id } } as const;
export const nameParams = { type: "object", required: ["name"], properties: { name } } as const;

export const pagingQuery = {
  limit: { type: "integer", minimum: 1, maximum: 10000, default: 50 },
  offset: { type: "integer", minimum: 0, maximum: 1_000_000, default: 0 },
} as const;

/** The store reads a run's logs whole, so large pages cost no more than small ones. */
export const MAX_LOG_PAGE = 100_000;

export const flowRunListQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...pagingQuery,
    flowName: name,
    /** Comma-separated state types, e.g. RUNNING,PENDING. */
    state: { type: "string", pattern: `^(${STATE_TYPES.join("|")})(,(${STATE_TYPES.join("|")}))*$` },
  },
} as const;

export const logQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...pagingQuery,
    limit: { type: "integer", minimum: 1, maximum: MAX_LOG_PAGE, default: 1000 },
    /** Minimum level: `warning` returns warning, error and critical. */
    level: { enum: [...LOG_LEVELS] },
    taskRunId: id,
    /** The last N lines (after the level filter) instead of a page. */
    tail: { type: "integer", minimum: 1, maximum: 10000 },
  },
} as const;

export const flowRunIdsBody = {
  type: "object",
  required: ["flowRunIds"],
  additionalProperties: false,
  properties: { flowRunIds: { type: "array", maxItems: 10000, items: id } },
} as const;

export const variableBody = {
  type: "object",
  required: ["value"],
  additionalProperties: false,
  properties: { value: {} },
} as const;

export const secretBody = {
  type: "object",
  required: ["ciphertext"],
  additionalProperties: false,
  properties: { ciphertext: { type: "string", minLength: 1, maxLength: 1_000_000 } },
} as const;

export const concurrencyLimitBody = {
  type: "object",
  required: ["limit"],
  additionalProperties: false,
  properties: {
    limit: { type: "integer", minimum: 0, maximum: 1_000_000 },
    slotDecayPerSecond: { anyOf: [{ type: "number", exclusiveMinimum: 0 }, { type: "null" }] },
  },
} as const;

export const leaseRequestBody = {
  type: "object",
  required: ["names", "slots", "holderPid", "decaying"],
  additionalProperties: false,
  properties: {
    names: { type: "array", minItems: 1, maxItems: 100, items: name },
    slots: { type: "integer", minimum: 1, maximum: 1_000_000 },
    holderPid: { type: "integer", minimum: 0 },
    decaying: { type: "boolean" },
    /** The open flow runs of the holder process, so a crash of those runs frees the lease. */
    holderFlowRunIds: { type: "array", maxItems: 10000, items: id },
  },
} as const;

export const leaseIdsBody = {
  type: "object",
  required: ["leaseIds"],
  additionalProperties: false,
  properties: { leaseIds: { type: "array", maxItems: 10000, items: id } },
} as const;

export const cacheEntryBody = {
  type: "object",
  required: ["value", "taskRunId", "flowRunId", "expiresAt"],
  additionalProperties: false,
  properties: {
    value: { type: "string" },
    taskRunId: id,
    flowRunId: id,
    expiresAt: { anyOf: [isoTime, { type: "null" }] },
  },
} as const;
