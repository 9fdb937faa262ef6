// The engine instance of this process: the store of SKEIN_HOME, the write-behind queue in front of it, and the
// listeners that see every run event (the CLI prints them, the test harness collects them). Records the store
// refused are not forgotten: closing the runtime throws them (RecordsNotStoredError), and a process that exits
// without closing it says so on stderr and exits STORE_WRITE_EXIT_CODE instead of 0.
import type { RunEvent } from "../protocol/run-events.ts";
import { SkeinError } from "./errors.ts";
import { maskRunEvent } from "./masking.ts";
import { skeinHome, sqliteFile } from "../client/home.ts";
import { SqliteStore } from "../store/sqlite/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import { WriteBehindQueue } from "../store/write-behind.ts";

/** The exit code of a process whose runs ended but whose records are not all stored (`skein run --help`). */
export const STORE_WRITE_EXIT_CODE = 3;

export type RunEventListener = (event: RunEvent) => void;

interface Runtime {
  home: string;
  store: Store;
  queue: WriteBehindQueue;
}

let current: Runtime | undefined;
const listeners = new Set<RunEventListener>();

function install(store: Store): Runtime {
  current = { home: skeinHome(), store, queue: new WriteBehindQueue(store) };
  return current;
}

/**
 * With SKEIN_API_URL set, runs report to that server (store/open-store.ts). Its client loads on demand,
 * so this must be awaited before the first run; flow runs and the CLI do.
 */
export async function prepareRuntime(): Promise<void> {
  if (current || !process.env.SKEIN_API_URL) return;
  const { openStore } = await import("../store/open-store.ts");
  if (!current) install(openStore(skeinHome()));
}

/**
 * From now on this process uses `store` (closing the one in use): the CLI's commands read and write the store its
 * one rule picks (cli/commands/connection.ts), and Variable, Secret and the concurrency limits follow.
 */
export async function useStore(store: Store): Promise<void> {
  await closeRuntime();
  install(store);
}

function runtime(): Runtime {
  if (current) return current;
  if (process.env.SKEIN_API_URL) {
    throw new SkeinError(
      "SKEIN_API_URL is set but the engine has not connected to it yet: await prepareRuntime() first",
    );
  }
  return install(new SqliteStore(sqliteFile(skeinHome())));
}

export function getStore(): Store {
  return runtime().store;
}

/** The one way run events leave this process (store, stream, printer, harness): masked here, once. */
export function emit(event: RunEvent): void {
  const masked = maskRunEvent(event);
  runtime().queue.push(masked);
  for (const listener of listeners) listener(masked);
}

/** Resolves when every event emitted so far is stored. */
export function flushEvents(): Promise<void> {
  return current ? current.queue.flush() : Promise.resolve();
}

export function onRunEvent(listener: RunEventListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Stores what is queued and closes the store; the next use opens the store of the then-current SKEIN_HOME.
 * Rejects with a RecordsNotStoredError when the store refused some of this runtime's records.
 */
export async function closeRuntime(): Promise<void> {
  if (!current) return;
  const closing = current;
  current = undefined;
  await closing.queue.flush();
  await closing.store.close();
  const notStored = closing.queue.notStored();
  if (notStored) throw notStored;
}

/** For process exit, when no promise will be awaited any more. */
export function flushEventsSync(): void {
  current?.queue.flushSync();
}

/** A script whose runs completed must not exit 0 when their records are missing from the store. */
function reportNotStoredAtExit(): void {
  const notStored = current?.queue.notStored();
  if (!notStored) return;
  process.stderr.write(`skein: ${notStored.message}\n`);
  if (!process.exitCode) process.exitCode = STORE_WRITE_EXIT_CODE;
}

process.on("exit", () => {
  flushEventsSync();
  reportNotStoredAtExit();
});
