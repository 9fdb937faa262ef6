// A task key names a task by where it is defined: `<name>@<file>:<line>:<column>`, the file relative to the project
// (the nearest folder with a package.json) with `/` separators. The engine writes it on each task run (with the call
// count it names a task run across retries, and it is part of every cache key); the editor reads the name and the
// place back only where a key is all there is (the engine's reuse of results, the store's rows written before
// task-run-created events carried `taskName`). A key without a place is the bare name (the engine could not see
// where the task was defined) or `subflow:<flow name>` (`subflowTaskKey`).

export interface TaskKeyParts {
  /** The task's display name. */
  name: string;
  /** Where the task is defined: the file relative to its project, and the 1-based line and column. */
  site?: { file: string; line: number; column: number };
}

export function formatTaskKey({ name, site }: TaskKeyParts): string {
  return site ? `${name}@${site.file}:${site.line}:${site.column}` : name;
}

// The first `@` starts the place, as a file may hold `@` ("node_modules/@acme/tasks.ts") and `:` ("C:/flows/etl.ts").
const keyWithSite = /^(.*?)@(.+):(\d+):(\d+)$/s;

export function parseTaskKey(key: string): TaskKeyParts {
  const match = keyWithSite.exec(key);
  if (!match) return { name: key };
  return { name: match[1], site: { file: match[2], line: Number(match[3]), column: Number(match[4]) } };
}

const SUBFLOW_PREFIX = "subflow:";

/** The key of the task run that stands for a subflow of this flow in its parent flow run. */
export function subflowTaskKey(flowName: string): string {
  return `${SUBFLOW_PREFIX}${flowName}`;
}

/**
 * The task's name a key was made from (a subflow's: its flow name), for task runs stored before task-run-created
 * events carried `taskName`.
 */
export function taskNameOfKey(key: string): string {
  return key.startsWith(SUBFLOW_PREFIX) ? key.slice(SUBFLOW_PREFIX.length) : parseTaskKey(key).name;
}
