// Commands that work through the engine's own store (the one runs use: SKEIN_API_URL's server, else SQLite in
// SKEIN_HOME). Kept apart from connection.ts, whose HTTP client must not load on `skein run`'s start-up path.
import { closeRuntime } from "../../engine/runtime.ts";

/** Wraps a command action, closing the store afterwards so pending writes land and the process can exit. */
export function withRuntimeStore<A extends unknown[]>(
  body: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await body(...args);
    } finally {
      await closeRuntime();
    }
  };
}
