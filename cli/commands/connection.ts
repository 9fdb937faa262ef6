// The one rule for which store a CLI command reads and writes (flow-run, task-run, work-pool, variable, secret,
// concurrency-limit, doctor): the server named by SKEIN_API_URL when set, else the local server of SKEIN_HOME
// when it runs (SKEIN_HOME/server.json names a live process), else the SQLite file of SKEIN_HOME. A local server
// may keep its runs elsewhere (PostgreSQL), so every command asks it rather than the file.
// `skein run` is not a command of this kind: it writes where the engine's runtime writes (engine/runtime.ts).
import { findServer } from "../../client/discovery.ts";
import { skeinHome, sqliteFile } from "../../client/home.ts";
import { closeRuntime, useStore } from "../../engine/runtime.ts";
import { SqliteStore } from "../../store/sqlite/sqlite-store.ts";
import type { Store } from "../../store/types.ts";

export interface CliStore {
  store: Store;
  /** For messages: "the server at URL" or "PATH". */
  via: string;
}

export async function openCliStore(): Promise<CliStore> {
  const home = skeinHome();
  const url = findServer(home);
  if (!url) return { store: new SqliteStore(sqliteFile(home)), via: sqliteFile(home) };
  // Loaded on demand: this file is on `skein run`'s start-up path, which must not load the HTTP client.
  const { HttpStore } = await import("../../store/http/http-store.ts");
  return {
    store: new HttpStore(url, { apiKey: process.env.SKEIN_API_KEY || undefined }),
    via: `the server at ${url}`,
  };
}

/**
 * Runs a command body against the CLI store, which is also the engine's store meanwhile (Variable, Secret and the
 * concurrency limits use that), then stores what is pending and closes it, whatever happens.
 */
export async function withCliStore<T>(body: (cli: CliStore) => Promise<T>): Promise<T> {
  const cli = await openCliStore();
  await useStore(cli.store);
  try {
    return await body(cli);
  } finally {
    await closeRuntime();
  }
}
