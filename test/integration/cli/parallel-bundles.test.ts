// Several `skein run`s of a file just edited bundle it at the same time into the one cache file of SKEIN_HOME;
// none may import another's half-written bundle (which read as "does not export"). The runs race only now and
// then, so the second test watches the cache file directly while it is rebuilt again and again.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { bundleFlowFile } from "../../../cli/bundle.ts";
import { ROOT, runCli, tempHome } from "../engine/helpers.ts";

const RUNS_AT_ONCE = 4;
const EDITS = 2;
/** Starts spread over this many milliseconds, so some runs load the bundle while others still write it. */
const STAGGER_MS = 120;

/** A flow file whose body changes with `edit`; the large constant makes the bundle slow to write. */
function flowSource(edit: number): string {
  return [
    'import { flow } from "skein";',
    `const ballast = ${JSON.stringify("b".repeat(500_000))};`,
    `export const edited = flow({ name: "edited" }, async () => ${edit} + ballast.length * 0);`,
    "",
  ].join("\n");
}

test("concurrent runs of a freshly edited file all load its new bundle", async () => {
  const home = tempHome();
  const file = path.join(home, "edited.ts");
  for (let edit = 1; edit <= EDITS; edit++) {
    fs.writeFileSync(file, flowSource(edit));
    // A different mtime even on coarse clocks, so each edit invalidates the cached bundle.
    fs.utimesSync(file, new Date(), new Date(Date.now() + edit * 1000));
    const results = await Promise.all(
      Array.from({ length: RUNS_AT_ONCE }, async (_, i) => {
        await sleep(i * STAGGER_MS);
        return runCli(["run", `${file}:edited`], home);
      }),
    );
    for (const result of results) {
      assert.equal(result.code, 0, `edit ${edit}: ${result.stderr}`);
      assert.match(result.stdout, new RegExp(`Result: ${edit}\\n`));
    }
  }
});

test("a bundle being rebuilt is never seen half-written", async () => {
  const home = tempHome();
  const file = path.join(home, "edited.ts");
  const engine = { index: path.join(ROOT, "engine/index.ts"), testing: path.join(ROOT, "engine/testing.ts") };
  fs.writeFileSync(file, flowSource(0));
  const outfile = await bundleFlowFile(file, engine, home);
  let rebuilding = true;
  const partial: number[] = [];
  let reads = 0;
  // Reads the cache file as fast as the event loop allows while esbuild (its own process) rewrites it.
  const reader = (async () => {
    while (rebuilding) {
      const text = fs.readFileSync(outfile, "utf8");
      reads++;
      if (!isWholeBundle(text)) partial.push(text.length);
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  for (let edit = 1; edit <= 20; edit++) {
    fs.writeFileSync(file, flowSource(edit));
    fs.utimesSync(file, new Date(), new Date(Date.now() + edit * 1000));
    assert.equal(await bundleFlowFile(file, engine, home), outfile);
  }
  rebuilding = false;
  await reader;
  assert.ok(reads > 20, `only ${reads} reads`);
  assert.deepEqual(partial, [], `${partial.length} of ${reads} reads saw a partly written bundle`);
});

/** esbuild ends a bundle with its inline source map: a whole file ends with that line, whose JSON parses. */
function isWholeBundle(text: string): boolean {
  const marker = "//# sourceMappingURL=data:application/json;base64,";
  const at = text.lastIndexOf(marker);
  if (at < 0) return false;
  try {
    JSON.parse(Buffer.from(text.slice(at + marker.length), "base64").toString("utf8"));
    return true;
  } catch {
    return false;
  }
}
