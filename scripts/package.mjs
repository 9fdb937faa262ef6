// `npm run package`: production bundles, then a VSIX for this platform. The VSIX carries this platform's
// esbuild binary (see vendorEsbuild in build.mjs), so it declares its VS Code target (linux-x64, darwin-arm64...).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const run = (file, args) => execFileSync(file, args, { cwd: root, stdio: "inherit" });

run(process.execPath, ["scripts/build.mjs", "--production"]);
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
