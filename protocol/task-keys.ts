// A task key names a task by where it is defined: `<name>@<file>:<line>:<column>`, the file relative to the project
// (the nearest folder with a package.json) with `/` separators. The engine writes it on each task run (with the call
// count it names a task run across retries, and it is part of every cache key); the editor reads the name and the
// place back to put a task's states next to its definition. A key without a place is the bare name (the engine
// could not see where the task was defined) or `subflow:<flow name>`.

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
