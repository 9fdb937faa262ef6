// Bundles a user's flow file with esbuild so `skein run` can import it: ESM for Node, inline source maps (errors
// and breakpoints point at the original .ts), and `skein` / `skein/testing` resolved to the running engine's own
// entry files, left external, so the flow and the CLI share one engine instance.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import { ensureHome } from "../client/home.ts";

export interface EngineEntries {
  /** Absolute paths of the running engine's `skein` and `skein/testing` modules. */
  index: string;
  testing: string;
}

// Bundles of ESM pull in CommonJS dependencies that need a real `require`.
const REQUIRE_BANNER =
  "import { createRequire as __skeinCreateRequire } from 'node:module'; const require = __skeinCreateRequire(import.meta.url);";

function resolveSkeinPlugin(engine: EngineEntries): Plugin {
  return {
    name: "skein-engine",
    setup(build) {
      build.onResolve({ filter: /^skein(\/testing)?$/ }, (args) => ({
        path: pathToFileURL(args.path === "skein" ? engine.index : engine.testing).href,
        external: true,
      }));
    },
  };
}

/** Writes the bundle into SKEIN_HOME/cache/bundles and returns its path. Reuses it when no input changed. */
export async function bundleFlowFile(file: string, engine: EngineEntries, home: string): Promise<string> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new Error(`Flow file not found: ${file}`);
  const id = createHash("sha256").update(`${source}\0${engine.index}`).digest("hex").slice(0, 16);
  ensureHome(home); // before esbuild makes it, with the default mode, as a parent of the cache
  const outfile = path.join(home, "cache", "bundles", `${id}.mjs`);
  const inputsFile = `${outfile}.inputs.json`;
  if (isFresh(outfile, inputsFile)) return outfile;
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    sourcemap: "inline",
    sourcesContent: true,
    metafile: true,
    logLevel: "silent",
    write: false,
    banner: { js: REQUIRE_BANNER },
    plugins: [resolveSkeinPlugin(engine)],
  });
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  writeAtomically(outfile, result.outputFiles[0].contents);
  const cwd = process.cwd();
  const inputs = Object.keys(result.metafile.inputs).map((input) => {
    const absolute = path.resolve(cwd, input);
    return { path: absolute, mtimeMs: fs.statSync(absolute).mtimeMs };
  });
  writeAtomically(inputsFile, JSON.stringify(inputs));
  return outfile;
}

/**
 * Other `skein run`s of the same file may be importing the cache file right now: write a temporary file beside it
 * and rename it over, so a reader sees the old file or the new one, never a half-written one.
 */
function writeAtomically(file: string, contents: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    fs.writeFileSync(temporary, contents);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function isFresh(outfile: string, inputsFile: string): boolean {
  try {
    const inputs = JSON.parse(fs.readFileSync(inputsFile, "utf8")) as { path: string; mtimeMs: number }[];
    return fs.existsSync(outfile) && inputs.every((input) => fs.statSync(input.path).mtimeMs === input.mtimeMs);
  } catch {
    return false;
  }
}
