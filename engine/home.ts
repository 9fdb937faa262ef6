// SKEIN_HOME: the one data directory per user (store, secrets key, bundles, the local server's announcement).
import os from "node:os";
import path from "node:path";

export function skeinHome(): string {
  return path.resolve(process.env.SKEIN_HOME || path.join(os.homedir(), ".skein"));
}
