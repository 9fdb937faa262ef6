// Builds Skein's bundles with esbuild:
//   dist/extension/extension.js        VS Code extension (node, cjs, `vscode` external)
//   dist/language-server/server.js     language server (node, cjs)
//   dist/engine/{index,cli,testing}.mjs the engine: the `skein` module, its CLI and test harness (node, esm),
//                                      and timeout-watchdog-worker.mjs, the thread that ends runs blocking past their timeout,
//                                      and heartbeat-worker.mjs, the thread that heartbeats open runs
//   dist/webview/main.{js,css}         the run view webview (browser): its shell, tabs and toolkit elements
//   dist/webview/parameter-form.{js,css} the parameter form webview (Run/Debug with parameters…)
//   dist/webview/graph-layout-worker.js the task graph's layout worker (browser, a Web Worker's script)
//   dist/test/index.js                 integration tests run inside VS Code's extension host (mocha)
// Flags: --watch (rebuild on change), --production (minified, no source map files, the `skein` module's .d.ts).
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");
const dist = path.join(root, "dist");

const common = {
  bundle: true,
  sourcemap: production ? false : "linked",
  minify: production,
  logLevel: "warning",
  absWorkingDir: root,
  target: "node22",
  platform: "node",
  legalComments: "none",
};

// ESM bundles that pull in CommonJS dependencies need what CommonJS gives every module: a real `require` for
// Node's builtins, and `__filename` / `__dirname` (TypeScript's compiler, which `skein run` loads to generate
// parameter schemas, reads them).
const esmRequireBanner = [
  "import { createRequire as __skeinCreateRequire } from 'node:module';",
  "import { fileURLToPath as __skeinFileURLToPath } from 'node:url';",
  "const require = __skeinCreateRequire(import.meta.url);",
  "const __filename = __skeinFileURLToPath(import.meta.url);",
  "const __dirname = __skeinFileURLToPath(new URL('.', import.meta.url));",
].join(" ");

// Skein needs node:sqlite (Node 22.13). An older Node fails to link a static `import ... from "node:sqlite"` before
// any code runs, with a bare ERR_UNKNOWN_BUILTIN_MODULE. So the engine loads node:sqlite with require() when the
// module that uses it first runs, and every engine file (entries and chunks) starts by checking the version: the
// first file Node evaluates then says what is wrong, for the `skein` bin and the `skein` module alike.
const MINIMUM_NODE = [22, 13];
const nodeVersionCheck = `{ const [major, minor] = process.versions.node.split(".").map(Number);
if (major < ${MINIMUM_NODE[0]} || (major === ${MINIMUM_NODE[0]} && minor < ${MINIMUM_NODE[1]})) {
process.stderr.write("Skein needs Node.js ${MINIMUM_NODE.join(".")} or later (for node:sqlite); this is Node.js " + process.versions.node + " (" + process.execPath + ").\\n");
process.exit(1); } }`;

/** @type {esbuild.Plugin} */
const sqliteOnFirstUse = {
  name: "sqlite-on-first-use",
  setup(build) {
    // Only the engine's imports: the require() below must reach Node's own module.
    build.onResolve({ filter: /^node:sqlite$/ }, (args) =>
      args.kind === "import-statement" ? { path: "node:sqlite", namespace: "sqlite-on-first-use" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "sqlite-on-first-use" }, () => ({
      contents: 'module.exports = require("node:sqlite");',
      loader: "js",
    }));
  },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: "extension/extension.ts" },
    outdir: "dist/extension",
    format: "cjs",
    external: ["vscode"],
  },
  {
    ...common,
    entryPoints: { server: "language-server/server.ts" },
    outdir: "dist/language-server",
    format: "cjs",
  },
  {
    ...common,
    // One build with code splitting, so the CLI, the `skein` module that user bundles import and the test
    // harness share a single engine instance (one run context, one store connection).
    // The worker threads (timeout watchdog, heartbeats) are entries of their own: the engine starts them from their
    // files at run time (engine/worker-file.ts).
    entryPoints: {
      index: "engine/index.ts",
      cli: "cli/main.ts",
      testing: "engine/testing.ts",
      "timeout-watchdog-worker": "engine/timeout-watchdog-worker.ts",
      "heartbeat-worker": "engine/heartbeat-worker.ts",
    },
    outdir: "dist/engine",
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    format: "esm",
    splitting: true,
    // esbuild ships a native binary per platform and pg-native is an optional native driver: never bundled.
    external: ["esbuild", "pg-native"],
    banner: { js: `${nodeVersionCheck}\n${esmRequireBanner}` },
    plugins: [sqliteOnFirstUse],
  },
  {
    ...common,
    entryPoints: { main: "webview/main.ts", "parameter-form": "webview/parameter-form/main.ts" },
    outdir: "dist/webview",
    platform: "browser",
    target: "es2022",
    format: "iife",
  },
  {
    ...common,
    // The graph's layouts run in a Web Worker started from this file (webview/graph/layout-client.ts).
    entryPoints: { "graph-layout-worker": "webview/graph/graph-layout-worker.ts" },
    outdir: "dist/webview",
    platform: "browser",
    target: "es2022",
    format: "iife",
  },
  {
    ...common,
    entryPoints: { index: "test/e2e/suite/index.ts" },
    outdir: "dist/test",
    format: "cjs",
    external: ["vscode"],
    // mocha's parallel mode resolves worker files at run time; the suite runs serially.
    logOverride: { "require-resolve-not-external": "silent" },
  },
];

const present = builds.filter((b) =>
  Object.values(b.entryPoints).every((entry) => fs.existsSync(path.join(root, entry))),
);

if (watch) {
  for (const options of present) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log(`watching ${present.length} bundles`);
} else {
  fs.rmSync(dist, { recursive: true, force: true });
  await Promise.all(present.map((options) => esbuild.build(options)));
  const cli = path.join(dist, "engine/cli.mjs");
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
  if (production) emitDeclarations();
}

/** The `skein` module's .d.ts files, so projects that `npm i skein` get its types. */
function emitDeclarations() {
  execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.types.json"], {
    cwd: root,
    stdio: "inherit",
  });
}
