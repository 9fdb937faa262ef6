// `npm run bench -- NAME [--runs N] [args...]`: runs bench/NAME.ts (or .mjs) as a child process, reads the JSON
// lines it prints through bench/common/report.ts ({"bench","metric","value","unit","baseline","ratio","runs"}),
// prints them, and appends each to bench/results.jsonl with the machine, Node version, commit, time and the load
// average when it started (machines are shared), so figures can be compared across runs. A result without a
// baseline measured in the same run fails the run: the ratio is what holds from machine to machine.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = fs
  .readdirSync(benchDir)
  .filter((file) => /\.(ts|mjs)$/.test(file) && file !== "run.mjs")
  .map((file) => file.replace(/\.(ts|mjs)$/, ""));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (NAME: ${available.sort().join(", ")})`);
  process.exit(2);
}
const script = ["ts", "mjs"].map((ext) => path.join(benchDir, `${name}.${ext}`)).find((file) => fs.existsSync(file));

const machine = {
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  platform: `${os.platform()}-${os.arch()}`,
  node: process.version,
};
const load1 = Math.round(os.loadavg()[0] * 100) / 100;
const commit = (() => {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: benchDir, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
})();

const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
  cwd: path.dirname(benchDir),
  stdio: ["ignore", "pipe", "inherit"],
});
let pending = "";
const results = fs.createWriteStream(path.join(benchDir, "results.jsonl"), { flags: "a" });
child.stdout.on("data", (chunk) => {
  pending += chunk;
  const lines = pending.split("\n");
  pending = lines.pop();
  for (const line of lines.filter((l) => l.trim())) record(line);
});
child.on("close", (code) => {
  if (pending.trim()) record(pending);
  results.end();
  // A line that was not JSON already failed the run; the child's own exit code must not hide that.
  process.exitCode = process.exitCode || (code ?? 1);
});

function record(line) {
  let result;
  try {
    result = JSON.parse(line);
  } catch {
    console.error(`bench ${name} printed a line that is not JSON: ${line}`);
    process.exitCode = 1;
    return;
  }
  if (typeof result.baseline !== "number" || typeof result.ratio !== "number") {
    console.error(`bench ${name} printed a result without a baseline and ratio: ${line}`);
    process.exitCode = 1;
  }
  console.log(JSON.stringify(result));
  results.write(`${JSON.stringify({ ...result, machine, load1, commit, at: new Date().toISOString() })}\n`);
}
