import { test } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import { resolveHome } from "../../../../extension/connection/editor-connection.ts";
import { describeStatus } from "../../../../extension/connection/server-status.ts";

test("skein.home wins over SKEIN_HOME, which wins over ~/.skein; ~ is the user's home", () => {
  assert.equal(resolveHome("/data/skein", { SKEIN_HOME: "/env/skein" }), "/data/skein");
  assert.equal(resolveHome("  ", { SKEIN_HOME: "/env/skein" }), "/env/skein");
  assert.equal(resolveHome("", {}), path.join(os.homedir(), ".skein"));
  assert.equal(resolveHome("~/work/.skein", {}), path.join(os.homedir(), "work/.skein"));
});

test("the status bar says local or remote with the backend, and a failure with its message", () => {
  const local = describeStatus({
    kind: "connected",
    url: "http://127.0.0.1:4301",
    remote: false,
    backend: "sqlite",
    location: "/h/skein.db",
  });
  assert.equal(local.text, "$(database) Skein: local · sqlite");
  assert.match(local.tooltip, /http:\/\/127\.0\.0\.1:4301 \(sqlite store at \/h\/skein\.db\)/);
  const remote = describeStatus({
    kind: "connected",
    url: "https://s",
    remote: true,
    backend: "postgres",
    location: "db",
  });
  assert.equal(remote.text, "$(cloud) Skein: remote · postgres");
  const failed = describeStatus({ kind: "failed", message: "Could not connect to the Skein server at https://s: 401" });
  assert.deepEqual(failed, {
    text: "$(error) Skein: offline",
    tooltip: "Could not connect to the Skein server at https://s: 401",
    error: true,
  });
  assert.match(describeStatus({ kind: "connecting", target: "/h" }).text, /sync~spin/);
});
