// JSON text for values the engine records or shows but does not need back (a flow run's parameters, a run name
// rendered from a parameter): a value that contains itself is written with "[Circular]" where it loops, and a
// bigint as its digits, instead of throwing (or overflowing the stack) in the middle of a run.

/** JSON.stringify(value), except that a cycle becomes "[Circular]" and a bigint its decimal digits. */
export function safeJsonText(value: unknown): string {
  // The objects from the root down to the one being written: `this` of the replacer is the holder of `item`.
  const ancestors: unknown[] = [];
  const text = JSON.stringify(value, function (this: unknown, _key: string, item: unknown) {
    if (typeof item === "bigint") return item.toString();
    if (typeof item !== "object" || item === null) return item;
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(item)) return "[Circular]";
    ancestors.push(item);
    return item;
  });
  return text ?? String(value); // undefined, a function or a symbol: no JSON at all
}

/** The value itself when JSON can write it; else a JSON copy with its cycles cut (see safeJsonText). */
export function recordableJson<T>(value: T): T {
  try {
    JSON.stringify(value);
    return value;
  } catch {
    return JSON.parse(safeJsonText(value)) as T;
  }
}
