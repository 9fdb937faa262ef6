// `skein flow-run delete`: forgets flow runs with everything they own (store/types.ts RunDeletionStore), named by
// id or by age (retention). Only finished runs go unless --force: a running run's process would keep writing
// records of a run that no longer exists.
import type { Command } from "commander";
import { formatState, isFinal, STATE_TYPES, TERMINAL_STATE_TYPES } from "../../protocol/states.ts";
import type { FlowRunRecord, Store } from "../../store/types.ts";
import { type CliStore, withCliStore } from "./connection.ts";
import { printLine, printTable, shortTime } from "./output.ts";

/** How many runs retention reads and deletes at a time. */
const RETENTION_BATCH = 500;
/** The most runs `--dry-run` lists (the server's largest page). */
const DRY_RUN_LIMIT = 10_000;
const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

interface DeleteOptions {
  olderThan?: string;
  state?: string;
  dryRun?: boolean;
  force?: boolean;
}

export function registerFlowRunDelete(group: Command): void {
  group
    .command("delete")
    .argument("[ids...]", "flow run ids")
    .description("Delete flow runs with their task runs, states, logs, artifacts and cached results")
    .option("--older-than <duration>", "instead of ids: finished runs created longer ago than this, e.g. 30d, 12h")
    .option("--state <types>", "with --older-than: only these state types, comma-separated (e.g. COMPLETED)")
    .option("--dry-run", "list what would be deleted, delete nothing")
    .option("--force", "also delete runs that have not finished (their process may still write to them)")
    .action((ids: string[], options: DeleteOptions) =>
      withCliStore(async (cli) => {
        if (ids.length > 0 === (options.olderThan !== undefined))
          throw new Error("Give either flow run ids or --older-than DURATION");
        if (options.state && options.olderThan === undefined) throw new Error("--state goes with --older-than");
        // A run whose process died is ended Crashed first, so it counts as finished.
        await cli.store.markDeadRunsCrashed();
        if (options.olderThan !== undefined) await deleteOlderThan(cli.store, options.olderThan, options);
        else await deleteByIds(cli, ids, options);
      }),
    );
}

/** Every id is checked before anything is deleted: one wrong id deletes nothing. */
async function deleteByIds({ store, via }: CliStore, ids: string[], options: DeleteOptions): Promise<void> {
  const runs = await Promise.all(ids.map((id) => store.getFlowRun(id)));
  const problems = ids.flatMap((id, i) => {
    const run = runs[i];
    if (!run) return [`No flow run with id ${id} in ${via}`];
    if (!options.force && !isFinal(run.state))
      return [`Flow run '${run.name}' (${id}) has not finished (${formatState(run.state)}); --force deletes it anyway`];
    return [];
  });
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const found = runs as FlowRunRecord[];
  if (options.dryRun) return printRuns(found, `Would delete ${found.length} flow run(s)`);
  for (const run of found) {
    await store.deleteFlowRun(run.id);
    printLine(`Deleted flow run '${run.name}' (${run.id})`);
  }
}

async function deleteOlderThan(store: Store, olderThan: string, options: DeleteOptions): Promise<void> {
  const createdBefore = new Date(Date.now() - durationMs(olderThan)).toISOString();
  const stateTypes = options.state ? options.state.toUpperCase().split(",") : [...TERMINAL_STATE_TYPES];
  const unknown = stateTypes.filter((type) => !(STATE_TYPES as readonly string[]).includes(type));
  if (unknown.length) throw new Error(`--state: unknown state type ${unknown.join(", ")} (${STATE_TYPES.join(", ")})`);
  const unfinished = stateTypes.filter((type) => !(TERMINAL_STATE_TYPES as readonly string[]).includes(type));
  if (unfinished.length && !options.force)
    throw new Error(`--state ${unfinished.join(",")}: those runs have not finished; --force deletes them anyway`);
  const query = { createdBefore, stateTypes };
  if (options.dryRun) {
    const runs = await store.listFlowRuns({ ...query, limit: DRY_RUN_LIMIT });
    const count = runs.length === DRY_RUN_LIMIT ? `at least ${DRY_RUN_LIMIT}` : String(runs.length);
    return printRuns(runs, `Would delete ${count} flow run(s) created before ${createdBefore}`);
  }
  let deleted = 0;
  for (;;) {
    const batch = await store.listFlowRuns({ ...query, limit: RETENTION_BATCH });
    for (const run of batch) if (await store.deleteFlowRun(run.id)) deleted++;
    if (batch.length < RETENTION_BATCH) break;
  }
  printLine(`Deleted ${deleted} flow run(s) created before ${createdBefore}`);
}

function printRuns(runs: FlowRunRecord[], summary: string): void {
  printTable(
    ["ID", "FLOW", "NAME", "STATE", "CREATED"],
    runs.map((r) => [r.id, r.flowName, r.name, formatState(r.state), shortTime(r.createdAt)]),
  );
  printLine(summary);
}

/** "30d", "12h", "90m", "45s", "2w". */
function durationMs(text: string): number {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!match) throw new Error(`--older-than must be a number and a unit (s, m, h, d, w), e.g. 30d; got '${text}'`);
  return Number(match[1]) * DURATION_UNITS_MS[match[2]];
}
