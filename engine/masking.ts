// The secret values this process knows (read by Secret.get or written by Secret.set) and the masking that keeps
// them in: every run event is masked once where it leaves the process (runtime.ts emit), and the CLI masks what it
// prints itself (results, failures). A value is also found as JSON writes it inside a string (quotes, backslashes
// and control characters escaped), so it is caught inside serialized results and JSON printed by user code.
import type { RunEvent } from "../protocol/run-events.ts";

export const MASK = "****";

/** Shorter values would mask ordinary text ("a", "id") everywhere. */
const MIN_SECRET_LENGTH = 3;

const secrets = new Set<string>();
/** One precompiled alternation of every form of every known value, longest first; undefined while none is known. */
let matcher: RegExp | undefined;

export function registerSecretValue(value: string): void {
  if (value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  const forms = new Set<string>();
  for (const secret of secrets) {
    // As written, inside a JSON string, and inside a JSON string inside JSON (an event's serialized result).
    const escaped = JSON.stringify(secret).slice(1, -1);
    forms.add(secret).add(escaped).add(JSON.stringify(escaped).slice(1, -1));
  }
  const source = [...forms]
    .sort((a, b) => b.length - a.length)
    .map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("|");
  matcher = new RegExp(source, "g");
}

export function containsSecret(text: string): boolean {
  // search() ignores the global flag's lastIndex, so the one matcher also answers "is there any".
  return matcher !== undefined && text.search(matcher) !== -1;
}

export function maskSecrets(text: string): string {
  return matcher ? text.replace(matcher, MASK) : text;
}

/**
 * Masks every string inside a value, keys included, as JSON would write it (toJSON is honoured, class instances
 * are their own enumerable properties). Parts without a secret are returned as they are, the same objects.
 */
export function maskSecretsDeep<T>(value: T): T {
  return matcher ? (maskValue(value, new Set()) as T) : value;
}

function maskValue(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === "string") return maskSecrets(value);
  if (value === null || typeof value !== "object" || ancestors.has(value)) return value;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === "function") {
    const written = json.call(value);
    const masked = maskValue(written, ancestors);
    return masked === written ? value : masked;
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item) => maskValue(item, ancestors));
      return items.some((item, i) => item !== value[i]) ? items : value;
    }
    // Copied only from the first change on: most events hold no secret.
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    let entries: [string, unknown][] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = record[key];
      const maskedKey = maskSecrets(key);
      const maskedItem = maskValue(item, ancestors);
      if (!entries && (maskedKey !== key || maskedItem !== item)) entries = keys.slice(0, i).map((k) => [k, record[k]]);
      entries?.push([maskedKey, maskedItem]);
    }
    return entries ? Object.fromEntries(entries) : value;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * A serialized result (JSON text, engine/results/serialize.ts) with its strings masked. Masking is done on the
 * parsed value, not the text, so an escape sequence that happens to precede a match is never cut in half.
 */
export function maskSerializedResult(text: string): string {
  if (!containsSecret(text)) return text;
  return JSON.stringify(maskSecretsDeep(JSON.parse(text)));
}

/** The event as it may leave the process: every string masked, the serialized result through its parsed value. */
export function maskRunEvent(event: RunEvent): RunEvent {
  if (!matcher) return event;
  // One native serialization and one scan let the events without a secret (nearly all) through untouched.
  let text: string | undefined;
  try {
    text = JSON.stringify(event);
  } catch {
    // A bigint or a cycle in user data: walk it instead.
  }
  if (text !== undefined && !containsSecret(text)) return event;
  if (event.kind !== "state" || event.result === undefined || !containsSecret(event.result)) {
    return maskSecretsDeep(event);
  }
  const { result, ...rest } = event;
  return { ...maskSecretsDeep(rest), result: maskSerializedResult(result) };
}
