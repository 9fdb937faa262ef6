// The local server announces itself in SKEIN_HOME/server.json (pid, url), so the CLI, run processes and the
// extension find it without configuration, and `skein server status|stop` know which process it is.
import fs from "node:fs";
import path from "node:path";
import { ensureHome, PRIVATE_FILE_MODE } from "./home.ts";
import { isProcessAlive } from "./processes.ts";

export interface ServerFile {
  pid: number;
  url: string;
  host: string;
  port: number;
  backend: string;
  startedAt: string;
}

export const DEFAULT_PORT = 4300;
export const DEFAULT_HOST = "127.0.0.1";

export function serverFilePath(home: string): string {
  return path.join(home, "server.json");
}

export function writeServerFile(home: string, info: ServerFile): void {
  ensureHome(home);
  const file = serverFilePath(home);
  // Write then rename: a reader never sees half a file.
  fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(info, null, 2), { mode: PRIVATE_FILE_MODE });
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

/** The server file of a live server process, or undefined (a stale file of a dead server is removed). */
export function readServerFile(home: string): ServerFile | undefined {
  const file = serverFilePath(home);
  let info: ServerFile;
  try {
    info = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  if (typeof info?.pid !== "number" || typeof info.url !== "string") return undefined;
  if (!isProcessAlive(info.pid)) {
    removeServerFile(home, info.pid);
    return undefined;
  }
  return info;
}

/** Removes the file only when it still names `pid`, so a newer server's file survives an old one's exit. */
export function removeServerFile(home: string, pid: number): void {
  const file = serverFilePath(home);
  try {
    const info = JSON.parse(fs.readFileSync(file, "utf8"));
    if (info?.pid === pid) fs.rmSync(file, { force: true });
  } catch {
    // Already gone or unreadable: nothing to clean.
  }
}
