// `skein doctor`: checks the server, the database and the runs, and explains in plain words why runs would stay
// Pending or go where nobody sees them. Exits 1 when it finds a problem; a store it cannot open or read is one
// of them, reported with the file and what to do, never a crash of the doctor itself.
import fs from "node:fs";
import type { Command } from "commander";
import { TERMINAL_STATE_TYPES } from "../../protocol/states.ts";
import { ApiError, BRIEF_RETRY, probeHealth } from "../../client/api-client.ts";
import { findServer } from "../../client/discovery.ts";
import { skeinHome, sqliteFile } from "../../client/home.ts";
import { readServerFile } from "../../client/server-file.ts";
import { isRunProcessGone, OPEN_STATE_TYPES } from "../../store/liveness.ts";
import { SqliteStore } from "../../store/sqlite/sqlite-store.ts";
import { sqliteStoreError } from "../../store/sqlite/sqlite-errors.ts";
import type { ConcurrencyLimitStore, DeploymentStore, RunReadStore, Store, WorkPoolStore } from "../../store/types.ts";
import { explainWaiting, workerStaleMs } from "../../server/services/waiting-reasons.ts";
import { openCliStore } from "./connection.ts";
import { printJson, printLine } from "./output.ts";

type Status = "ok" | "warning" | "problem";

interface Check {
  name: string;
  status: Status;
  detail: string;
}

const PENDING_TOO_LONG_MS = 60_000;

export function register(program: Command): void {
  program
    .command("doctor")
    .description("Check the server, database and runs; explain why runs would stay Pending")
    .option("--json", "as JSON")
    .action(async (options: { json?: boolean }) => {
      const checks = await diagnose();
      if (options.json) printJson({ home: skeinHome(), checks });
      else {
        const mark: Record<Status, string> = { ok: "ok  ", warning: "warn", problem: "FAIL" };
        for (const check of checks) printLine(`[${mark[check.status]}] ${check.name}: ${check.detail}`);
      }
      if (checks.some((check) => check.status === "problem")) process.exitCode = 1;
    });
}

async function diagnose(): Promise<Check[]> {
  const home = skeinHome();
  const checks: Check[] = [];
  const add = (name: string, status: Status, detail: string) => checks.push({ name, status, detail });
  const localDb = sqliteFile(home);
  add(
    "home",
    "ok",
    `SKEIN_HOME is ${home}${process.env.SKEIN_HOME ? "" : " (the default; set SKEIN_HOME to use another)"}`,
  );
  checkPrivacy(home, localDb, add);

  const apiUrl = process.env.SKEIN_API_URL;
  const local = readServerFile(home);
  const url = findServer(home);
  let store: Store | undefined;
  let serverLocation: string | undefined;
  if (url) {
    try {
      const health = await probeHealth(url, BRIEF_RETRY);
      serverLocation = health.location;
      add(
        "server",
        "ok",
        `${url} answers (${apiUrl ? "SKEIN_API_URL" : "local server of SKEIN_HOME"}); its ${health.backend} database is ${health.location}`,
      );
      store = (await openCliStore()).store;
    } catch (error) {
      add(
        "server",
        "problem",
        isKeyRefusal(error)
          ? `${url} answers but refuses this shell's API key (${(error as Error).message}): SKEIN_API_KEY is ${process.env.SKEIN_API_KEY ? "not the server's key" : "not set"}. Set SKEIN_API_KEY to the key the server was started with.`
          : apiUrl
            ? `SKEIN_API_URL=${apiUrl} does not answer (${(error as Error).message}). Run processes will keep their events and retry for up to ten minutes, then fail; start that server or unset SKEIN_API_URL to record runs in SKEIN_HOME.`
            : `the local server (pid ${local?.pid}) does not answer at ${url}: ${(error as Error).message}. Restart it: 'skein server stop && skein server start'.`,
      );
    }
  } else {
    add(
      "server",
      "warning",
      "no server is running. Runs from 'skein run' and the editor still record to SKEIN_HOME and show up everywhere, " +
        "but nothing watches for crashed runs and other machines cannot report here. Start one with 'skein server start'.",
    );
  }

  if (apiUrl && fs.existsSync(localDb) && serverLocation !== localDb) {
    const localStore = openLocalStore(localDb, add);
    const localRuns = localStore ? await countRuns(localStore) : 0;
    if (localRuns > 0) {
      add(
        "one source of truth",
        "warning",
        `${localRuns} run(s) are recorded in ${localDb}, but SKEIN_API_URL sends runs to ${apiUrl}, which stores them elsewhere. ` +
          "Runs started without SKEIN_API_URL (another shell, the editor) land in SKEIN_HOME and are not visible through that server. " +
          "Set SKEIN_API_URL the same way everywhere, or unset it.",
      );
    }
  }
  if (process.env.SKEIN_DATABASE_URL && local && serverLocation && !serverLocation.startsWith("postgres")) {
    add(
      "database",
      "warning",
      "SKEIN_DATABASE_URL is set in this shell, but the running server uses SQLite: it was started without it. Restart the server from a shell that has it.",
    );
  }

  if (!store && !apiUrl) {
    if (!fs.existsSync(localDb)) {
      add("database", "ok", `no runs yet (${localDb} will be created by the first run)`);
      return checks;
    }
    store = openLocalStore(localDb, add);
  }
  if (!store) return checks;
  try {
    await checkRuns(store, serverLocation ?? store.location, add);
    await checkWorkPools(store, add).catch((error) =>
      add("work pools", "problem", `cannot read work pools: ${(error as Error).message}`),
    );
    await checkWorkers(store, add).catch((error) =>
      add("workers", "problem", `cannot read workers: ${(error as Error).message}`),
    );
  } catch (error) {
    // A local file that opened but cannot be read (damaged pages): say which file, and what to do.
    const reason = store instanceof SqliteStore ? sqliteStoreError(store.location, "read", error) : error;
    add("database", "problem", `cannot read runs: ${(reason as Error).message}`);
  } finally {
    await store.close();
  }
  return checks;
}

/** The server answered, but wants an API key this shell lacks or has wrong (401 / 403). */
function isKeyRefusal(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}

/** The SQLite store of SKEIN_HOME, or undefined and a problem saying why it cannot be opened and what to do. */
function openLocalStore(file: string, add: (name: string, status: Status, detail: string) => void) {
  try {
    return new SqliteStore(file);
  } catch (error) {
    add("database", "problem", (error as Error).message);
    return undefined;
  }
}

/** SKEIN_HOME holds the user's runs, results and logs: other users should not read them. */
function checkPrivacy(home: string, localDb: string, add: (name: string, status: Status, detail: string) => void) {
  const open = [home, localDb].filter(
    (file) => ((fs.statSync(file, { throwIfNoEntry: false })?.mode ?? 0) & 0o077) !== 0,
  );
  if (open.length) {
    add(
      "privacy",
      "warning",
      `${open.join(" and ")} can be read by other users; runs, results and logs are yours: 'chmod 700 ${home}'` +
        (open.includes(localDb) ? ` and 'chmod 600 ${localDb}*'` : ""),
    );
  }
}

async function countRuns(store: Store): Promise<number> {
  try {
    return (await store.listFlowRuns({ limit: 1000 })).length;
  } finally {
    await store.close();
  }
}

async function checkRuns(
  store: RunReadStore & ConcurrencyLimitStore,
  location: string,
  add: (name: string, status: Status, detail: string) => void,
): Promise<void> {
  const open = await store.listFlowRuns({ limit: 1000, stateTypes: [...OPEN_STATE_TYPES] });
  const now = Date.now();
  const waiting = open.filter(
    (run) =>
      ["PENDING", "SCHEDULED"].includes(run.state.type) && now - Date.parse(run.state.timestamp) > PENDING_TOO_LONG_MS,
  );
  // Judged from the records already loaded, by the rule the stores and the server's crash detector use.
  const orphaned = open
    .filter((run) => run.state.type === "RUNNING" && isRunProcessGone(run.pid, run.host, run.heartbeatAt, now))
    .map((run) => run.id);
  add("database", "ok", `${location} reachable; ${open.length} unfinished run(s)`);
  if (waiting.length) {
    add(
      "pending runs",
      "warning",
      `${waiting.length} run(s) have waited more than a minute in ${waiting
        .map((r) => r.state.name)
        .filter(unique)
        .join("/")}: ` +
        `${waiting
          .slice(0, 5)
          .map((r) => `'${r.name}'`)
          .join(", ")}. A run stays Pending while its process waits for a concurrency slot ` +
        "(see below) or when the process that created it died before starting it (it will be marked Crashed).",
    );
  }
  if (orphaned.length) {
    add(
      "crashed runs",
      "warning",
      `${orphaned.length} Running run(s) have no live process (${orphaned.slice(0, 5).join(", ")}); the server marks them Crashed within 30 s, or now with 'skein flow-run ls'.`,
    );
  }
  const limits = await store.listConcurrencyLimits();
  const full = limits.filter((limit) => limit.activeSlots >= limit.limit);
  if (full.length) {
    add(
      "concurrency",
      "warning",
      `limit(s) full: ${full.map((l) => `${l.name} (${l.activeSlots}/${l.limit})`).join(", ")}. Runs and tasks that need them wait in Pending until a slot frees; ` +
        "raise the limit with 'skein gcl create NAME N' or find the holders with 'skein flow-run ls'.",
    );
  } else
    add("concurrency", "ok", limits.length ? `${limits.length} limit(s), none full` : "no concurrency limits defined");
  const recentFailures = (await store.listFlowRuns({ limit: 20 })).filter(
    (r) => TERMINAL_STATE_TYPES.includes(r.state.type) && r.state.type !== "COMPLETED",
  );
  if (recentFailures.length)
    add("recent runs", "ok", `${recentFailures.length} of the last 20 runs did not complete (see 'skein flow-run ls')`);
}

/** Deployments whose runs no worker would start: their work pool is paused or allows no run at a time. */
async function checkWorkPools(
  store: WorkPoolStore & DeploymentStore,
  add: (name: string, status: Status, detail: string) => void,
): Promise<void> {
  const pools = await store.listWorkPools();
  if (pools.length === 0) {
    add("work pools", "ok", "no work pools yet; runs start with 'skein run' or the editor, so none wait for a worker");
    return;
  }
  const blocked = new Map(
    pools
      .filter((pool) => pool.paused || pool.concurrencyLimit === 0)
      .map((pool) => [pool.name, pool.paused ? "is paused" : "has concurrency limit 0"] as const),
  );
  const stuck = blocked.size
    ? (await store.listDeployments()).filter((d) => !d.paused && d.workPoolName && blocked.has(d.workPoolName))
    : [];
  if (stuck.length) {
    const pairs = stuck
      .slice(0, 5)
      .map((d) => `${d.flowName}/${d.name} → '${d.workPoolName}' (${blocked.get(d.workPoolName!)})`);
    add(
      "work pools",
      "warning",
      `${stuck.length} deployment(s) use a work pool that starts no runs: ${pairs.join(", ")}${stuck.length > 5 ? ` and ${stuck.length - 5} more` : ""}. ` +
        "Their runs wait in Scheduled; resume the pool or raise its concurrency limit ('skein work-pool resume NAME', 'skein work-pool set-concurrency-limit NAME N').",
    );
  } else {
    add(
      "work pools",
      "ok",
      `${pools.length} work pool(s)${blocked.size ? `; ${blocked.size} paused or limited to 0, but no active deployment uses them` : ""}`,
    );
  }
}

/** Pools that active deployments use but no worker serves, and why each waiting deployment run waits. */
async function checkWorkers(store: Store, add: (name: string, status: Status, detail: string) => void): Promise<void> {
  const deployments = (await store.listDeployments()).filter((d) => !d.paused && d.workPoolName);
  const now = Date.now();
  const unserved: string[] = [];
  for (const pool of new Set(deployments.map((d) => d.workPoolName!))) {
    const last = (await store.listWorkers(pool))
      .map((w) => w.lastPollAt)
      .sort()
      .at(-1);
    if (!last || now - Date.parse(last) > workerStaleMs())
      unserved.push(`'${pool}' (${last ? `last poll ${last}` : "never polled"})`);
  }
  if (unserved.length)
    add(
      "workers",
      "warning",
      `no worker serves work pool(s) ${unserved.join(", ")} that deployments use; their runs wait in Scheduled. Start one: 'skein worker start --pool NAME'.`,
    );
  else if (deployments.length) add("workers", "ok", "every work pool that deployments use has a worker polling it");
  const waiting = (await store.listFlowRuns({ stateTypes: ["SCHEDULED", "PENDING"], limit: 1000 })).filter(
    (run) => run.workPoolName !== null,
  );
  const reasons = [];
  for (const run of waiting) {
    const reason = await explainWaiting(store, run, now);
    if (reason.code !== "scheduled-later" || Date.parse(run.expectedStartTime ?? "") <= now)
      reasons.push({ run, reason });
  }
  if (reasons.length)
    add(
      "waiting runs",
      "warning",
      `${reasons.length} deployment run(s) are due but not running: ${reasons
        .slice(0, 5)
        .map(({ run, reason }) => `'${run.name}': ${reason.message}`)
        .join(
          "; ",
        )}${reasons.length > 5 ? ` and ${reasons.length - 5} more ('skein flow-run inspect ID' says why)` : ""}`,
    );
}

function unique<T>(value: T, index: number, all: T[]): boolean {
  return all.indexOf(value) === index;
}
