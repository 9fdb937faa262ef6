// A secret's value never appears in plain text anywhere a run writes: a flow reads a secret and leaks it every way
// it can (test/fixtures/engine/leaks-secret.ts), through `skein run` on the SQLite file and through a server with
// its live stream read, then the CLI reads the runs back; every byte produced (store files and their -wal,
// stdout and stderr of every command, the stream, the server's output) is searched for the value.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { exited, startServerProcess } from "../../fixtures/server/processes.ts";
import { type CliOptions, type CliResult, runCli, tempHome } from "./helpers.ts";

const FIXTURE = "test/fixtures/engine/leaks-secret.ts";
const SECRET_NAME = "leak-token";

/** Everything produced, by where it came from. */
type Produced = Map<string, string>;

function filesUnder(directory: string, produced: Produced): void {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) filesUnder(file, produced);
    else produced.set(`file ${file}`, fs.readFileSync(file).toString("latin1"));
  }
}

/**
 * Runs the completing flow with one output mode and the failing one with the other, then every command that shows
 * runs, keeping all output; answers the top-level flow run ids.
 */
async function exerciseCli(
  home: string,
  options: CliOptions,
  produced: Produced,
  outputs: { leaky: string; leakyFailing: string },
): Promise<string[]> {
  const cli = async (args: string[], expectedCode = 0): Promise<CliResult> => {
    const result = await runCli(args, home, options);
    produced.set(`skein ${args.join(" ")} (stdout)`, result.stdout);
    produced.set(`skein ${args.join(" ")} (stderr)`, result.stderr);
    assert.equal(result.code, expectedCode, `skein ${args.join(" ")}: ${result.stderr}`);
    return result;
  };
  const run = (flow: "leaky" | "leakyFailing", expectedCode: number) =>
    cli(["run", `${FIXTURE}:${flow}`, "--param", `secretName=${SECRET_NAME}`, "--output", outputs[flow]], expectedCode);
  // The leaks were attempted and masked, not skipped.
  assert.match((await run("leaky", 0)).stdout, /\*\*\*\*/);
  assert.match((await run("leakyFailing", 1)).stderr, /the flow failed holding \*\*\*\*/);
  const runs = JSON.parse((await cli(["flow-run", "ls", "--json"])).stdout) as { id: string; flowName: string }[];
  const topLevel = runs.filter((run) => run.flowName !== "inner").map((run) => run.id);
  assert.equal(topLevel.length, 2);
  for (const run of runs) {
    const inspected = JSON.parse((await cli(["flow-run", "inspect", run.id, "--json"])).stdout);
    if (run.flowName === "inner") continue;
    await cli(["flow-run", "inspect", run.id]);
    await cli(["flow-run", "logs", run.id]);
    await cli(["flow-run", "logs", run.id, "--json"]);
    const refused = (inspected.taskRuns as { id: string; name: string }[]).find((t) => t.name.startsWith("refuse"));
    await cli(["task-run", "inspect", refused!.id, "--flow-run", run.id]);
  }
  return topLevel;
}

/** The raw bytes of the server's live stream, as a client reads them, until `stop` is called. */
function readStream(url: string): { text: () => string; stop: () => Promise<void> } {
  const abort = new AbortController();
  let text = "";
  const reading = (async () => {
    const response = await fetch(`${url}/api/events/stream`, {
      headers: { accept: "text/event-stream" },
      signal: abort.signal,
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) text += decoder.decode(chunk as Uint8Array, { stream: true });
  })().catch((error: Error) => {
    if (error.name !== "AbortError") throw error;
  });
  return {
    text: () => text,
    async stop() {
      abort.abort();
      await reading;
    },
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function assertNowhere(unique: string, produced: Produced): void {
  const leaks = [...produced]
    .filter(([, text]) => text.includes(unique))
    .map(([where, text]) => {
      const at = text.indexOf(unique);
      return `${where}: …${JSON.stringify(text.slice(Math.max(0, at - 60), at + unique.length + 20))}…`;
    });
  assert.deepEqual(leaks, [], `the secret's value was found in ${leaks.length} place(s)`);
}

describe("secrets never leave a run in plain text", () => {
  // A quote and a backslash make JSON escape the value; the random part is searched for, so any copy counts,
  // escaped once, twice or not at all.
  const unique = randomBytes(12).toString("hex");
  const secret = `tok"en\\${unique}`;

  test("skein run on the SQLite file, then inspect, logs and task-run inspect", async () => {
    const home = tempHome();
    const produced: Produced = new Map();
    const set = await runCli(["secret", "set", SECRET_NAME], home, { input: `${secret}\n` });
    assert.equal(set.code, 0, set.stderr);
    await exerciseCli(home, {}, produced, { leaky: "text", leakyFailing: "jsonl" });
    filesUnder(home, produced);
    assert.ok([...produced.keys()].some((where) => where.endsWith("skein.db-wal") || where.endsWith("skein.db")));
    assertNowhere(unique, produced);
  });

  test("skein run through a server, with its live stream read", async () => {
    const home = tempHome();
    const produced: Produced = new Map();
    const { child, info } = await startServerProcess(home, {});
    let serverOutput = "";
    child.stdout?.on("data", (chunk) => (serverOutput += chunk));
    child.stderr?.on("data", (chunk) => (serverOutput += chunk));
    const stream = readStream(info.url);
    try {
      const options: CliOptions = { env: { SKEIN_API_URL: info.url } };
      const set = await runCli(["secret", "set", SECRET_NAME], home, { ...options, input: secret });
      assert.equal(set.code, 0, set.stderr);
      const ids = await exerciseCli(home, options, produced, { leaky: "jsonl", leakyFailing: "text" });
      await until(
        () => ids.every((id) => stream.text().includes(id)) && (stream.text().match(/Failed/g) ?? []).length >= 3,
        "the stream to carry every run",
      );
      assert.match(stream.text(), /\*\*\*\*/);
    } finally {
      await stream.stop();
      child.kill("SIGTERM");
      await exited(child);
    }
    produced.set("the live stream", stream.text());
    produced.set("the server's stdout and stderr", serverOutput);
    filesUnder(home, produced);
    assertNowhere(unique, produced);
  });
});
