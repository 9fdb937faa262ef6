// The plain-Node baseline of lsp-discovery, run as a fresh process with no tsx and no LSP: loads TypeScript,
// reads and parses the open file (what the server must do before it can serve that file's lenses), then walks the
// workspace, reads every .ts file, keeps those that mention "skein" (the server's byte pre-filter) and parses them
// with ts.createSourceFile (no parent pointers, no type checker): the server's index work without the protocol,
// the analysis or the bookkeeping.
// Usage: node scan-workspace.mjs ROOT OPEN_FILE. Prints {lensesAt, indexAt, peakRss, files, candidates}, times as
// epoch milliseconds (performance.timeOrigin-based), so the parent measures from before it spawned this process.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const [root, openFile] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
const parse = (file, text) => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);

parse(openFile, fs.readFileSync(openFile, "utf8"));
const lensesAt = now();

let files = 0;
let candidates = 0;
const directories = [root];
while (directories.length) {
  const directory = directories.pop();
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules") directories.push(full);
    else if (entry.isFile() && entry.name.endsWith(".ts")) {
      files++;
      const bytes = fs.readFileSync(full);
      if (!bytes.includes("skein")) continue;
      candidates++;
      parse(full, bytes.toString("utf8"));
    }
  }
}
const indexAt = now();
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ lensesAt, indexAt, peakRss, files, candidates }));
