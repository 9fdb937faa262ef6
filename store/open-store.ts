// Which store a process uses. One source of truth per SKEIN_HOME:
// - a run process (and the engine's CLI): SKEIN_API_URL set → report through that server (HttpStore);
//   unset → the SQLite file in SKEIN_HOME, which the local server (when running) serves to everyone else.
// - the server: SKEIN_DATABASE_URL=postgres://... → PostgreSQL; unset → the same SQLite file in SKEIN_HOME.
import { sqliteFile } from "../client/home.ts";
import { HttpStore } from "./http/http-store.ts";
import { SqliteStore } from "./sqlite/sqlite-store.ts";
import type { Store } from "./types.ts";

/** The store of a run process: the server named by SKEIN_API_URL, else the SQLite file in `home`. */
export function openStore(home: string, env: NodeJS.ProcessEnv = process.env): Store {
  if (env.SKEIN_API_URL) return new HttpStore(env.SKEIN_API_URL, { apiKey: env.SKEIN_API_KEY || undefined });
  return new SqliteStore(sqliteFile(home));
}

export interface ServerStore {
  store: Store;
  backend: "sqlite" | "postgres";
}

/** The store behind the API server: PostgreSQL when SKEIN_DATABASE_URL names one, else SQLite in `home`. */
export async function openServerStore(home: string, env: NodeJS.ProcessEnv = process.env): Promise<ServerStore> {
  const url = env.SKEIN_DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(
        `SKEIN_DATABASE_URL must be a postgres:// URL (got '${url.split(":")[0]}:...'); unset it to use SQLite in SKEIN_HOME`,
      );
    }
    // Loaded on demand: processes that never use PostgreSQL never load pg.
    const { PostgresStore } = await import("./postgres/postgres-store.ts");
    return { store: await PostgresStore.connect(url), backend: "postgres" };
  }
  return { store: new SqliteStore(sqliteFile(home)), backend: "sqlite" };
}
