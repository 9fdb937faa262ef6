// SKEIN_HOME: the one data directory per user (store, secrets key, bundles, the local server's announcement).
import os from "node:os";
import path from "node:path";

export function skeinHome(): string {
  return path.resolve(process.env.SKEIN_HOME || path.join(os.homedir(), ".skein"));
}

/** The embedded store of a SKEIN_HOME. */
export function sqliteFile(home: string): string {
  return path.join(home, "skein.db");
}
