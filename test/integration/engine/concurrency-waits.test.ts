// concurrency() and rateLimit() never wait in silence: asking for more slots than a limit has fails at once with
// the limit's name and size, and `timeoutSeconds` bounds a wait on a full limit. Checked on a SQLite store and
// through an API server backed by SQLite and by PostgreSQL (the HttpStore a run process uses with SKEIN_API_URL).
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { ConcurrencySlotTimeoutError, concurrency, rateLimit, setConcurrencyLimit } from "../../../engine/index.ts";
import { closeRuntime, useStore } from "../../../engine/runtime.ts";
import { HttpStore } from "../../../store/http/http-store.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import { BACKENDS, tempHome } from "../../fixtures/server/backends.ts";
import { startTestServer, type TestServer } from "../../fixtures/server/test-server.ts";

/** The promise's outcome, or a rejection when it takes longer than `ms`: a wait that never ends fails the test. */
const HANG_GUARD_MS = 30_000;

/** A hang guard with a clear message (the bug was a wait with no end), not a timing check: its bound is generous. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function expectTimeout(promise: Promise<unknown>, what: string, seconds: number): Promise<void> {
  // Only the timeout raises ConcurrencySlotTimeoutError, so the error itself says the wait ended by the clock.
  await assert.rejects(within(HANG_GUARD_MS, promise), (error: unknown) => {
    assert.ok(error instanceof ConcurrencySlotTimeoutError, String(error));
    assert.equal(
      error.message,
      `${what} did not get its slots within ${seconds} s (timeoutSeconds); the limit stayed full`,
    );
    return true;
  });
}

function waitingRules(): void {
  test("asking for more slots than the limit has fails at once, naming the limit and its size", async () => {
    await setConcurrencyLimit("one-slot", 1);
    await assert.rejects(
      within(HANG_GUARD_MS, concurrency("one-slot", 5)),
      /^SkeinError: concurrency\('one-slot', 5\) can never run: the concurrency limit 'one-slot' has 1 slot and 5 were asked for\. Ask for at most 1, or raise the limit: setConcurrencyLimit\('one-slot', 5\)$/,
    );
    await setConcurrencyLimit("rate", 2, { slotDecayPerSecond: 1 });
    await assert.rejects(
      within(HANG_GUARD_MS, rateLimit("rate", 3)),
      /rateLimit\('rate', 3\) can never run: the concurrency limit 'rate' has 2 slots and 3 were asked for/,
    );
  });

  test("timeoutSeconds fails a wait on a full limit in time, and a slot freed in time is taken", async () => {
    await setConcurrencyLimit("busy", 1);
    const held = await concurrency("busy", 1);
    await expectTimeout(concurrency("busy", 1, { timeoutSeconds: 0.3 }), "concurrency('busy', 1)", 0.3);
    await expectTimeout(
      concurrency("busy", 1, async () => "never", { timeoutSeconds: 0.2 }),
      "concurrency('busy', 1)",
      0.2,
    );
    setTimeout(() => void held.release(), 100);
    assert.equal(
      await within(
        HANG_GUARD_MS,
        concurrency("busy", 1, async () => "ran", { timeoutSeconds: 20 }),
      ),
      "ran",
    );
    await setConcurrencyLimit("slow-rate", 1, { slotDecayPerSecond: 0.01 });
    await rateLimit("slow-rate");
    await expectTimeout(rateLimit("slow-rate", 1, { timeoutSeconds: 0.2 }), "rateLimit('slow-rate', 1)", 0.2);
  });

  test("timeoutSeconds must be a number of seconds", async () => {
    await assert.rejects(concurrency("busy", 1, { timeoutSeconds: -1 }), /timeoutSeconds must be a number of seconds/);
  });
}

describe("concurrency waits on SQLite", () => {
  before(() => useStore(new SqliteStore(path.join(tempHome(), "skein.db"))));
  after(closeRuntime);
  waitingRules();
});

for (const backend of BACKENDS) {
  describe(`concurrency waits through a server on ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
      await useStore(new HttpStore(server.url));
    });
    after(async () => {
      await closeRuntime();
      await server.close();
    });
    waitingRules();
  });
}
