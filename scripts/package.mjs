// `npm run package`: production bundles, then a VSIX for this platform. The VSIX carries this platform's
// esbuild binary, so it declares its VS Code target (linux-x64, darwin-arm64...).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const run = (file, args) => execFileSync(file, args, { cwd: root, stdio: "inherit" });

run(process.execPath, ["scripts/build.mjs", "--production"]);
vendorEsbuild();
run(process.execPath, [
  "node_modules/@vscode/vsce/vsce",
  "package",
  "--no-dependencies",
  "--allow-missing-repository",
  "--target",
  `${process.platform}-${process.arch}`,
  "--out",
  "dist/skein.vsix",
]);

/**
 * The VSIX carries no node_modules, but the engine's CLI needs esbuild (a native binary) to bundle flow files.
 * Copy esbuild's JS API and this platform's binary next to the bundles, where Node's resolution from dist/engine
 * finds them. (esbuild's own bin/ holds a second copy of the binary, for its command line: left out.)
 */
function vendorEsbuild() {
  const copy = (relative) =>
    fs.cpSync(path.join(root, "node_modules", relative), path.join(root, "dist/node_modules", relative), {
      recursive: true,
    });
  copy("esbuild/package.json");
  copy("esbuild/lib");
  copy(`@esbuild/${process.platform}-${process.arch}`);
}
