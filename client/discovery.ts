// Finds the server a command should talk to: SKEIN_API_URL when set, else the local server that announced
// itself in SKEIN_HOME/server.json. No configuration needed on the machine that runs the server.
import { readServerFile } from "./server-file.ts";

/** The URL of the server to talk to, or undefined when none is configured or running. */
export function findServer(home: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.SKEIN_API_URL || readServerFile(home)?.url;
}
