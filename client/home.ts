// SKEIN_HOME: the one data directory per user (store, secrets key, bundles, the local server's announcement).
// Its runs, results and logs are the user's own: the directory is created readable by its owner only.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Files in SKEIN_HOME that Skein creates itself (the store, server.json) are the owner's only. */
export const PRIVATE_FILE_MODE = 0o600;

export function skeinHome(): string {
  return path.resolve(process.env.SKEIN_HOME || path.join(os.homedir(), ".skein"));
}

/** Creates `home` (0700) when it does not exist yet; an existing directory keeps the mode its owner gave it. */
export function ensureHome(home: string): void {
  if (fs.existsSync(home)) return;
  fs.mkdirSync(path.dirname(home), { recursive: true });
  try {
    fs.mkdirSync(home, { mode: 0o700 });
  } catch (error) {
    // Another process created it first.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** The embedded store of a SKEIN_HOME. */
export function sqliteFile(home: string): string {
  return path.join(home, "skein.db");
}
