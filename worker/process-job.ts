// The job variables of a `process` work pool, read as Prefect's process worker reads them: `working_dir` is where
// the run's process works and its entrypoint is resolved (`skein deploy` and `flow.deploy()` set it to the
// project's folder, beside an entrypoint relative to it), and `env` is added to the process's environment. Other
// variables belong to other pool types (`image` to docker, ...): they are named in the run's log as ignored, not
// dropped without a word.
import fs from "node:fs";
import path from "node:path";

export interface ProcessJob {
  /** Where the run's process works and resolves its entrypoint. */
  cwd: string;
  /** Added to the runner's environment (a run with its own env gets a runner of its own). */
  env: Record<string, string>;
  /** What the run's log should say about how its job variables were read. */
  notes: string[];
}

const PROCESS_VARIABLES = new Set(["working_dir", "env"]);

/**
 * The job of a run from its deployment's job variables. `fallbackCwd` (SKEIN_WORKER_CWD, else the worker's own
 * folder) serves when the deployment names no working_dir, or one this machine does not have (a worker on another
 * machine, started in its own checkout of the project).
 */
export function processJob(jobVariables: Record<string, unknown>, fallbackCwd: string): ProcessJob {
  const notes: string[] = [];
  let cwd = fallbackCwd;
  const workingDir = jobVariables.working_dir;
  if (typeof workingDir === "string" && workingDir !== "") {
    if (fs.statSync(workingDir, { throwIfNoEntry: false })?.isDirectory()) cwd = path.resolve(workingDir);
    else
      notes.push(
        `job variable working_dir '${workingDir}' is not a folder on this machine; the entrypoint is resolved from ${fallbackCwd} (the worker's SKEIN_WORKER_CWD or folder)`,
      );
  } else if (workingDir !== undefined && workingDir !== null && workingDir !== "") {
    notes.push(`job variable working_dir must be a folder path (got ${JSON.stringify(workingDir)}); it is ignored`);
  }
  const env: Record<string, string> = {};
  const given = jobVariables.env;
  if (given && typeof given === "object" && !Array.isArray(given)) {
    for (const [name, value] of Object.entries(given)) {
      if (value === null || value === undefined) continue;
      env[name] = typeof value === "string" ? value : JSON.stringify(value);
    }
  } else if (given !== undefined && given !== null) {
    notes.push(`job variable env must be a mapping of names to values (got ${JSON.stringify(given)}); it is ignored`);
  }
  const others = Object.keys(jobVariables).filter((name) => !PROCESS_VARIABLES.has(name));
  if (others.length)
    notes.push(
      `job variable(s) ${others.map((name) => `'${name}'`).join(", ")} mean nothing to a process work pool (it reads working_dir and env); ignored`,
    );
  return { cwd, env, notes };
}
