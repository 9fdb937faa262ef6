// Results as text, so they survive the process: JSON plus Date, Map, Set, bigint, Buffer/Uint8Array and undefined,
// written as tagged objects {"$skein": type, "v": ...}. Anything else (functions, class instances, symbols, a value
// that contains itself) is refused with the path of the offending value. Cache keys hash inputs the same way.
import { SERIALIZED_TAG } from "../../protocol/serialized-values.ts";
import { UnpersistableResultError } from "../errors.ts";

const TAG = SERIALIZED_TAG;

/** What the text is for, which decides how a refusal reads: a run's result, the inputs of a cache key, or a task
 * run's recorded inputs (engine/task-inputs.ts). */
export type SerializedRole = "result" | "cache key" | "inputs";

/** `root` names the value in the paths of refusals: "result", or an argument's name. */
export function serialize(value: unknown, owner: string, role: SerializedRole = "result", root = "result"): string {
  return JSON.stringify(encode(value, { owner, role }, root, new Map()));
}

export function deserialize(text: string): unknown {
  return decode(JSON.parse(text));
}

interface Subject {
  owner: string;
  role: SerializedRole;
}

/** `ancestors` maps each object on the way down to its path, so a cycle names where it closes. */
function encode(value: unknown, owner: Subject, path: string, ancestors: Map<object, string>): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : { [TAG]: "number", v: String(value) };
    case "undefined":
      return { [TAG]: "undefined" };
    case "bigint":
      return { [TAG]: "bigint", v: value.toString() };
    case "function":
    case "symbol":
      throw refuse(owner, path, `a ${typeof value}`);
  }
  if (value === null) return null;
  const object = value as object;
  const ancestor = ancestors.get(object);
  if (ancestor !== undefined) throw refuse(owner, path, `a reference back to ${ancestor}: the value contains a cycle`);
  ancestors.set(object, path);
  try {
    if (Array.isArray(object)) return object.map((item, i) => encode(item, owner, `${path}[${i}]`, ancestors));
    if (object instanceof Date) return { [TAG]: "Date", v: object.toISOString() };
    if (object instanceof Map) {
      return {
        [TAG]: "Map",
        v: [...object].map(([k, v], i) => [
          encode(k, owner, `${path}<key ${i}>`, ancestors),
          encode(v, owner, `${path}.get(${String(k)})`, ancestors),
        ]),
      };
    }
    if (object instanceof Set)
      return { [TAG]: "Set", v: [...object].map((item, i) => encode(item, owner, `${path}<item ${i}>`, ancestors)) };
    if (object instanceof Uint8Array) {
      return {
        [TAG]: Buffer.isBuffer(object) ? "Buffer" : "Uint8Array",
        v: Buffer.from(object.buffer, object.byteOffset, object.byteLength).toString("base64"),
      };
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      throw refuse(owner, path, `an instance of ${prototype?.constructor?.name ?? "a class"}`);
    }
    const encoded: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) encoded[key] = encode(item, owner, `${path}.${key}`, ancestors);
    return encoded;
  } finally {
    ancestors.delete(object);
  }
}

function refuse({ owner, role }: Subject, path: string, what: string): UnpersistableResultError {
  if (role === "cache key") {
    return new UnpersistableResultError(
      `${owner} cannot compute its cache key: ${path} is ${what}. ` +
        "Pass JSON-compatible data (plus Date, Map, Set, bigint, Buffer), or give the task a cacheKeyFn.",
    );
  }
  if (role === "inputs") {
    return new UnpersistableResultError(
      `${owner} was called with inputs that cannot be recorded: ${path} is ${what}. ` +
        "Rerunning from this task or debugging it with recorded inputs needs JSON-compatible arguments (plus Date, Map, Set, bigint, Buffer).",
    );
  }
  return new UnpersistableResultError(
    `${owner} returned a value that cannot be persisted: ${path} is ${what}. ` +
      "Return JSON-compatible data (plus Date, Map, Set, bigint, Buffer), or set persistResult: false and do not cache it.",
  );
}

function decode(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(decode);
  const object = value as Record<string, unknown>;
  const tag = object[TAG];
  if (typeof tag === "string") {
    const v = object.v as any;
    switch (tag) {
      case "undefined":
        return undefined;
      case "number":
        return Number(v);
      case "bigint":
        return BigInt(v);
      case "Date":
        return new Date(v);
      case "Map":
        return new Map((v as unknown[][]).map(([k, item]) => [decode(k), decode(item)]));
      case "Set":
        return new Set((v as unknown[]).map(decode));
      case "Buffer":
        return Buffer.from(v, "base64");
      case "Uint8Array":
        return new Uint8Array(Buffer.from(v, "base64"));
    }
  }
  const decoded: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) decoded[key] = decode(item);
  return decoded;
}
