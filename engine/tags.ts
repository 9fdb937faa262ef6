// tags(...): extra tags for every task run started inside the callback (Prefect's `with tags(...)`).
import { AsyncLocalStorage } from "node:async_hooks";

const extraTags = new AsyncLocalStorage<readonly string[]>();

export function tags<T>(names: string[], work: () => T): T {
  return extraTags.run([...(extraTags.getStore() ?? []), ...names], work);
}

export function currentExtraTags(): readonly string[] {
  return extraTags.getStore() ?? [];
}
