// `skein --version`: the version in Skein's own package.json, found by walking up from this file, which sits in
// cli/ when run from source and in dist/engine/ (or a chunk folder below it) when built or installed.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function skeinVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (manifest.name === "skein" && manifest.version) return manifest.version;
    }
    if (path.dirname(dir) === dir) return "unknown";
  }
}
