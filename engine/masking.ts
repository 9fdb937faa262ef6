// Secret values this process has read or written are replaced by **** wherever the engine writes text out
// (logs, artifacts).
const secrets = new Set<string>();
let pattern: RegExp | undefined;

export function registerSecretValue(value: string): void {
  if (value.length < 3 || secrets.has(value)) return;
  secrets.add(value);
  const escaped = [...secrets].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  pattern = new RegExp(escaped.join("|"), "g");
}

export function maskSecrets(text: string): string {
  return pattern ? text.replace(pattern, "****") : text;
}

/** Masks every string inside a JSON-like value. */
export function maskSecretsDeep<T>(value: T): T {
  if (!pattern) return value;
  if (typeof value === "string") return maskSecrets(value) as T;
  if (Array.isArray(value)) return value.map(maskSecretsDeep) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecretsDeep(v)])) as T;
  }
  return value;
}
