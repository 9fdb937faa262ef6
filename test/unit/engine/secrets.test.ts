// Secrets: each ciphertext bound to its name (the old unbound format read once and rewritten), and known values
// masked in every event that leaves the run process, in results too, with the run's own values left intact.
import assert from "node:assert/strict";
import { createCipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { cachePolicies, flow, getRunLogger, runFlow, Secret, task } from "../../../engine/index.ts";
import { maskRunEvent, maskSecretsDeep, maskSerializedResult, registerSecretValue } from "../../../engine/masking.ts";
import { onRunEvent } from "../../../engine/runtime.ts";
import type { RunEvent } from "../../../protocol/run-events.ts";
import { useHarness } from "./helpers.ts";

const harness = useHarness();

describe("secret ciphertexts", () => {
  test("a ciphertext copied under another name does not decrypt, and says whose it is", async () => {
    await Secret.set("alpha", "alpha-value-1");
    const ciphertext = (await harness.current.store.getSecret("alpha"))!;
    assert.match(ciphertext, /^v2:/);
    assert.ok(!ciphertext.includes("alpha-value-1"));
    await harness.current.store.setSecret("beta", ciphertext);
    await assert.rejects(Secret.get("beta"), /Secret 'beta' holds the ciphertext of secret 'alpha'/);
    // Rewriting the name written in clear does not help: the name is authenticated with the value.
    const [version, , ...rest] = ciphertext.split(":");
    await harness.current.store.setSecret(
      "beta",
      [version, Buffer.from("beta").toString("base64url"), ...rest].join(":"),
    );
    await assert.rejects(Secret.get("beta"), /Secret 'beta' cannot be decrypted with .*secret\.key/);
    assert.equal(await Secret.get("alpha"), "alpha-value-1");
  });

  test("a v1 ciphertext (no name bound) is read once and rewritten bound to its name", async () => {
    await Secret.set("warm-up", "creates-the-key");
    const key = Buffer.from(fs.readFileSync(path.join(harness.current.home, "secret.key"), "utf8"), "base64");
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const body = Buffer.concat([cipher.update("legacy-value", "utf8"), cipher.final()]);
    const v1 = ["v1", iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64")));
    await harness.current.store.setSecret("legacy", v1.join(":"));
    assert.equal(await Secret.get("legacy"), "legacy-value");
    assert.match((await harness.current.store.getSecret("legacy"))!, /^v2:/);
    assert.equal(await Secret.get("legacy"), "legacy-value");
  });
});

describe("masking", () => {
  test("every string of an event is masked, keys and escaped copies included; the rest is left as it is", () => {
    const untouched = { kind: "log", message: "nothing here", nested: { list: ["a", 1] } } as unknown as RunEvent;
    registerSecretValue('pa"ss\\word');
    assert.equal(maskRunEvent(untouched), untouched, "no copy when nothing is masked");
    const masked = maskSecretsDeep({
      plain: 'x pa"ss\\word y',
      json: JSON.stringify({ p: 'pa"ss\\word' }),
      ['pa"ss\\word']: [new Date(0), { toJSON: () => 'pa"ss\\word' }],
    });
    assert.deepEqual(masked, {
      plain: "x **** y",
      json: '{"p":"****"}',
      "****": [new Date(0), "****"],
    });
  });

  test("a serialized result is masked through its parsed value, never cutting an escape in half", () => {
    registerSecretValue("nab");
    // "\nab" is a newline then "ab": the text holds n-a-b, but the value does not.
    const text = JSON.stringify({ a: "\nab", b: "nab", c: { $skein: "Map", v: [["nab", 1]] } });
    assert.deepEqual(JSON.parse(maskSerializedResult(text)), {
      a: "\nab",
      b: "****",
      c: { $skein: "Map", v: [["****", 1]] },
    });
  });
});

describe("a run that reads a secret", () => {
  test("stores and streams no copy of it, while the run itself works with the real value", async () => {
    const seen: RunEvent[] = [];
    const unsubscribe = onRunEvent((event) => seen.push(event));
    await Secret.set("api-token", "tok-8f2b61d0c4");
    const echo = task({ name: "echo", taskRunName: "echo-{value}" }, (value: string) => ({ value }));
    const cached = task({ name: "cached-echo", cachePolicy: cachePolicies.INPUTS }, (value: string) => value);
    const fails = task({ name: "fails" }, (value: string) => {
      throw new Error(`rejected ${value}`);
    });
    const leaky = flow({ name: "leaky-unit" }, async () => {
      const token = await Secret.get("api-token");
      getRunLogger().info(`token ${token}`);
      const echoed = await echo(token);
      assert.equal(echoed.value, "tok-8f2b61d0c4", "the run sees the real value");
      await cached(token);
      await cached(token);
      await fails(token).catch(() => undefined);
      throw new Error(`failed with ${token}`);
    });
    const state = await runFlow(leaky, {}, { returnState: true });
    unsubscribe();
    assert.equal(state.type, "FAILED");
    const [run] = await harness.current.flowRuns("leaky-unit");
    const taskRuns = await harness.current.taskRuns(run.id);
    const stored = JSON.stringify({
      run,
      taskRuns,
      states: await harness.current.states(run.id),
      logs: await harness.current.logs(run.id),
    });
    assert.ok(!stored.includes("tok-8f2b61d0c4"), stored);
    assert.ok(!JSON.stringify(seen).includes("tok-8f2b61d0c4"));
    assert.equal(run.state.message, "failed with ****");
    assert.match(run.state.details?.error ?? "", /^Error: failed with \*\*\*\*\n/);
    assert.deepEqual(taskRuns.map((t) => t.name).sort(), ["cached-echo-0", "cached-echo-1", "echo-****", "fails-0"]);
    assert.equal(taskRuns.find((t) => t.name === "cached-echo-1")?.state.name, "Completed", "not a cache hit");
    const echoRun = taskRuns.find((t) => t.name === "echo-****")!;
    assert.deepEqual(JSON.parse(echoRun.result!), { value: "****" });
    const logs = (await harness.current.logs(run.id)).map((l) => l.message);
    assert.ok(logs.includes("token ****"));
    assert.ok(logs.some((m) => /Task run 'cached-echo-0' returned a secret value: its result is not cached/.test(m)));
  });
});
