// Which flow runs hold which concurrency leases taken through the API. A run process on another machine has a
// pid the server cannot check, so when the crash detector ends a run, the leases its process took are freed
// here. Kept in memory: after a server restart, leases of live holders are freed by their own release.
export class LeaseRegistry {
  private readonly runsByLease = new Map<string, string[]>();

  record(leaseIds: readonly string[], flowRunIds: readonly string[]): void {
    if (flowRunIds.length === 0) return;
    for (const id of leaseIds) this.runsByLease.set(id, [...flowRunIds]);
  }

  forget(leaseIds: readonly string[]): void {
    for (const id of leaseIds) this.runsByLease.delete(id);
  }

  /** Leases taken by a process that was running any of `flowRunIds`. */
  leasesOf(flowRunIds: readonly string[]): string[] {
    const crashed = new Set(flowRunIds);
    return [...this.runsByLease].filter(([, runs]) => runs.some((run) => crashed.has(run))).map(([lease]) => lease);
  }
}
