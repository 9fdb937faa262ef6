import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { HttpStore } from "../../../store/http/http-store.ts";
import { openServerStore, openStore } from "../../../store/open-store.ts";
import { SqliteStore } from "../../../store/sqlite/sqlite-store.ts";
import { tempHome } from "../../fixtures/server/backends.ts";

test("a run process reports through SKEIN_API_URL when set, else writes SQLite in SKEIN_HOME", async () => {
  const home = tempHome();
  try {
    const remote = openStore(home, { SKEIN_API_URL: "http://127.0.0.1:4300" });
    assert.ok(remote instanceof HttpStore);
    assert.equal(remote.location, "http://127.0.0.1:4300");
    await remote.close();
    const local = openStore(home, {});
    assert.ok(local instanceof SqliteStore);
    assert.equal(local.location, `${home}/skein.db`);
    await local.close();
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test("the server uses SQLite in SKEIN_HOME unless SKEIN_DATABASE_URL names PostgreSQL", async () => {
  const home = tempHome();
  try {
    const { store, backend } = await openServerStore(home, {});
    assert.equal(backend, "sqlite");
    await store.close();
    await assert.rejects(
      openServerStore(home, { SKEIN_DATABASE_URL: "mysql://db/skein" }),
      /SKEIN_DATABASE_URL must be a postgres:\/\/ URL/,
    );
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
