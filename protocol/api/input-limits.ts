// Limits on what an API body may hold, beyond types, so that input the store cannot take is a 400 naming the field
// rather than a 500 from the database: text that must not hold NUL (ids, names, keys: PostgreSQL text cannot hold
// one; free text such as log messages is stored with NUL marked instead, see store/event-fold.ts), integers that fit
// the stores' 32-bit integer columns, and JSON nested no deeper than `MAX_JSON_DEPTH` (deeper values overflow the
// stack of JSON.stringify when stored). The `maxDepth` keyword is registered with every ajv that checks contracts.
import type { FuncKeywordDefinition } from "ajv";
import { Type } from "typebox";

export const NO_NUL = "^[^\\u0000]*$";

/** An identifier-like text (a key, a logger, a host, an entrypoint): NUL is refused. */
export function IdentifierText(maxLength: number) {
  return Type.String({ maxLength, pattern: NO_NUL });
}

/** The range of the stores' integer columns (pid, dynamic keys, holder pids). */
export const INT32_MAX = 2 ** 31 - 1;
export const Int32 = Type.Integer({ minimum: -(2 ** 31), maximum: INT32_MAX });

/** How deeply JSON values sent to the API (parameters, state details, artifact data) may nest. */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests objects or arrays more than `max` levels deep; iterative, so any depth is safe. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) if (typeof child === "object" && child) stack.push([child, depth + 1]);
  }
  return false;
}

/** Any JSON value nested at most `MAX_JSON_DEPTH` deep (`type` narrows it, e.g. "object"). */
export function BoundedJson<T>(schema: Record<string, unknown> = {}) {
  return Type.Unsafe<T>({ ...schema, maxDepth: MAX_JSON_DEPTH });
}

/** The ajv keyword behind `maxDepth`. */
export const maxDepthKeyword: FuncKeywordDefinition = {
  keyword: "maxDepth",
  schemaType: "number",
  errors: true,
  validate: function check(max: number, data: unknown) {
    if (!nestsDeeperThan(data, max)) return true;
    (check as { errors?: unknown[] }).errors = [
      { keyword: "maxDepth", message: `must be nested at most ${max} levels deep`, params: { limit: max } },
    ];
    return false;
  },
};
