// The last heartbeat the server received for each open flow run, and from which process. A run process that
// reports through the API may live on another machine, so its pid says nothing there; its heartbeats do. On
// this machine the pid also counts, so a live run whose event loop is busy for a while is not taken for dead.
// Kept in memory: after a server restart every live run process heartbeats again within seconds, and the
// crash detector waits one staleness window before judging anything.
import os from "node:os";

/** The process behind a request, from the `X-Skein-Process: <pid>@<host>` header clients send. */
export interface ReportingProcess {
  pid: number;
  host: string;
}

interface Beat {
  at: number;
  process?: ReportingProcess;
}

export function reportingProcess(header: string | string[] | undefined): ReportingProcess | undefined {
  const match = typeof header === "string" ? /^(\d+)@(.+)$/.exec(header) : null;
  return match ? { pid: Number(match[1]), host: match[2] } : undefined;
}

export function isThisMachine(process: ReportingProcess | undefined): process is ReportingProcess {
  return process?.host === os.hostname();
}

export class HeartbeatRegistry {
  private readonly beats = new Map<string, Beat>();

  record(flowRunIds: readonly string[], process: ReportingProcess | undefined, now = Date.now()): void {
    for (const id of flowRunIds) this.beats.set(id, { at: now, process });
  }

  last(flowRunId: string): Beat | undefined {
    return this.beats.get(flowRunId);
  }

  /** Drops runs that are no longer open. */
  retain(openFlowRunIds: ReadonlySet<string>): void {
    for (const id of this.beats.keys()) if (!openFlowRunIds.has(id)) this.beats.delete(id);
  }
}
