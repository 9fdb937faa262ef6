// JSON schemas of the work pool, work queue and deployment bodies (shapes only: ajv checks them before a
// handler runs). What a schema cannot say (cron syntax, time zones, rrules) is checked in deployment-checks.ts.
import { ENTRYPOINT_PATTERN } from "../entrypoints.ts";

/** Like Prefect: any printable name without '/' or '%' (they would break URLs), no space at either end. */
export const resourceName = {
  type: "string",
  minLength: 1,
  maxLength: 200,
  pattern: "^[^\\s/%](?:[^/%\\u0000-\\u001f]*[^\\s/%])?$",
} as const;
/** The kind of worker serving a pool: "process", "docker", … */
export const workPoolType = { type: "string", pattern: "^[a-z][a-z0-9-]{0,49}$" } as const;
const nullableText = { anyOf: [{ type: "string", maxLength: 10_000 }, { type: "null" }] } as const;
const nullableLimit = { anyOf: [{ type: "integer", minimum: 0, maximum: 1_000_000 }, { type: "null" }] } as const;
const jsonObject = { type: "object" } as const;

/** `path/to/file.ts:exportName` or `path/to/file.ts:Class.method`. */
export const entrypoint = {
  type: "string",
  minLength: 3,
  maxLength: 1000,
  pattern: ENTRYPOINT_PATTERN,
} as const;

/** Why a store refused to create a work pool, queue or deployment. */
export type CreateRefusal = "duplicate" | "unknown-work-pool" | "unknown-work-queue";

/** How the server answers a refused create; HttpStore reads the refusal back from the status. */
export const REFUSAL_STATUS: Record<CreateRefusal, number> = {
  duplicate: 409,
  "unknown-work-pool": 404,
  "unknown-work-queue": 422,
};

const workPoolFields = {
  description: nullableText,
  paused: { type: "boolean" },
  concurrencyLimit: nullableLimit,
  baseJobTemplate: jsonObject,
} as const;

export const workPoolBody = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: { name: resourceName, type: workPoolType, ...workPoolFields },
} as const;

export const workPoolPatchBody = { type: "object", additionalProperties: false, properties: workPoolFields } as const;

const workQueueFields = {
  description: nullableText,
  priority: { type: "integer", minimum: 1, maximum: 1_000_000 },
  concurrencyLimit: nullableLimit,
  paused: { type: "boolean" },
} as const;

export const workQueueBody = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: { name: resourceName, ...workQueueFields },
} as const;

export const workQueuePatchBody = { type: "object", additionalProperties: false, properties: workQueueFields } as const;

export const poolParams = {
  type: "object",
  required: ["pool"],
  properties: { pool: { type: "string", minLength: 1, maxLength: 200 } },
} as const;
export const queueParams = {
  type: "object",
  required: ["pool", "queue"],
  properties: {
    pool: { type: "string", minLength: 1, maxLength: 200 },
    queue: { type: "string", minLength: 1, maxLength: 200 },
  },
} as const;

/** Exactly one of cron, interval (seconds) or rrule. */
const scheduleSchema = {
  type: "object",
  additionalProperties: false,
  oneOf: [{ required: ["cron"] }, { required: ["interval"] }, { required: ["rrule"] }],
  properties: {
    cron: { type: "string", minLength: 1, maxLength: 200 },
    interval: { type: "number", exclusiveMinimum: 0, maximum: 366 * 24 * 3600 },
    rrule: { type: "string", minLength: 1, maxLength: 2000 },
    timezone: { type: "string", minLength: 1, maxLength: 100 },
    active: { type: "boolean", default: true },
    parameters: { type: "object", default: {} },
  },
} as const;

const deploymentFields = {
  description: nullableText,
  parameters: jsonObject,
  parameterSchema: { anyOf: [jsonObject, { type: "null" }] },
  enforceParameterSchema: { type: "boolean" },
  schedules: { type: "array", maxItems: 100, items: scheduleSchema },
  jobVariables: jsonObject,
  tags: { type: "array", maxItems: 100, items: { type: "string", minLength: 1, maxLength: 200 } },
  concurrencyLimit: { anyOf: [{ type: "integer", minimum: 1, maximum: 1_000_000 }, { type: "null" }] },
  collisionStrategy: { enum: ["ENQUEUE", "CANCEL_NEW"] },
  paused: { type: "boolean" },
} as const;

export const deploymentBody = {
  type: "object",
  required: ["name", "flowName", "entrypoint"],
  additionalProperties: false,
  properties: {
    name: resourceName,
    flowName: { type: "string", minLength: 1, maxLength: 500 },
    entrypoint,
    workPoolName: { anyOf: [resourceName, { type: "null" }] },
    workQueueName: { anyOf: [resourceName, { type: "null" }] },
    ...deploymentFields,
  },
} as const;

export const deploymentPatchBody = {
  type: "object",
  additionalProperties: false,
  properties: deploymentFields,
} as const;

export const deploymentListQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    flowName: { type: "string", minLength: 1, maxLength: 500 },
    workPool: { type: "string", minLength: 1, maxLength: 200 },
  },
} as const;

export const deploymentNameParams = {
  type: "object",
  required: ["flowName", "name"],
  properties: {
    flowName: { type: "string", minLength: 1, maxLength: 500 },
    name: { type: "string", minLength: 1, maxLength: 200 },
  },
} as const;
