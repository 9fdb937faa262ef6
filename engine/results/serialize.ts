// Results as text, so they survive the process: JSON plus Date, Map, Set, bigint, Buffer/Uint8Array and undefined,
// written as tagged objects {"$skein": type, "v": ...}. Anything else (functions, class instances, symbols) is
// refused with the path of the offending value.
import { UnpersistableResultError } from "../errors.ts";

const TAG = "$skein";

export function serialize(value: unknown, owner: string): string {
  return JSON.stringify(encode(value, owner, "result", new Set()));
}

export function deserialize(text: string): unknown {
  return decode(JSON.parse(text));
}

function encode(value: unknown, owner: string, path: string, seen: Set<object>): unknown {
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
  if (seen.has(object)) throw refuse(owner, path, "a circular reference");
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((item, i) => encode(item, owner, `${path}[${i}]`, seen));
    if (object instanceof Date) return { [TAG]: "Date", v: object.toISOString() };
    if (object instanceof Map) {
      return {
        [TAG]: "Map",
        v: [...object].map(([k, v], i) => [
          encode(k, owner, `${path}<key ${i}>`, seen),
          encode(v, owner, `${path}.get(${String(k)})`, seen),
        ]),
      };
    }
    if (object instanceof Set)
      return { [TAG]: "Set", v: [...object].map((item, i) => encode(item, owner, `${path}<item ${i}>`, seen)) };
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
    for (const [key, item] of Object.entries(object)) encoded[key] = encode(item, owner, `${path}.${key}`, seen);
    return encoded;
  } finally {
    seen.delete(object);
  }
}

function refuse(owner: string, path: string, what: string): UnpersistableResultError {
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
