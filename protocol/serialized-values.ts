// The serialized form of the values Skein stores (results, recorded task inputs): JSON, with Date, Map, Set, bigint,
// bytes, undefined and non-finite numbers as tagged objects {"$skein": type, "v": ...}, which
// engine/results/serialize.ts writes and reads back exactly. Readers outside the engine (the editor shows a task
// run's recorded inputs for editing before a rerun) read it here as the plain JSON a person reads and edits.

export const SERIALIZED_TAG = "$skein";

/**
 * Serialized text as plain JSON: a date as its ISO string, a Set as an array, a Map as an object (or as [key, value]
 * pairs when a key is not a string), bytes as base64 text, a bigint or a non-finite number as its text, undefined as
 * null.
 */
export function serializedAsJson(text: string): unknown {
  return asJson(JSON.parse(text));
}

function asJson(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(asJson);
  const object = value as Record<string, unknown>;
  const tag = object[SERIALIZED_TAG];
  if (typeof tag === "string") {
    const v = object.v;
    switch (tag) {
      case "undefined":
        return null;
      case "Map": {
        const pairs = (v as unknown[][]).map(([key, item]) => [asJson(key), asJson(item)] as const);
        return pairs.every(([key]) => typeof key === "string") ? Object.fromEntries(pairs) : pairs;
      }
      case "Set":
        return (v as unknown[]).map(asJson);
      default:
        // number (NaN, Infinity), bigint, Date, Buffer, Uint8Array: their text.
        return v;
    }
  }
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, asJson(item)]));
}
