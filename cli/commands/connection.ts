// Where the operations commands read and write: the server named by SKEIN_API_URL, else the local server of
// SKEIN_HOME when it runs, else the SQLite file of SKEIN_HOME directly. All three hold the same runs.
import { findServer } from "../../client/discovery.ts";
import { HttpStore } from "../../store/http/http-store.ts";
import { skeinHome, sqliteFile } from "../../client/home.ts";
import { SqliteStore } from "../../store/sqlite/sqlite-store.ts";
import type { Store } from "../../store/types.ts";

export interface CliStore {
  store: Store;
  /** For messages: "the server at URL" or "PATH". */
  via: string;
}

export function openCliStore(): CliStore {
  const home = skeinHome();
  const url = findServer(home);
  if (url) return { store: new HttpStore(url), via: `the server at ${url}` };
  return { store: new SqliteStore(sqliteFile(home)), via: sqliteFile(home) };
}

/** Runs a command body against the CLI store and closes it, whatever happens. */
export async function withCliStore<T>(body: (cli: CliStore) => Promise<T>): Promise<T> {
  const cli = openCliStore();
  try {
    return await body(cli);
  } finally {
    await cli.store.close();
  }
}
