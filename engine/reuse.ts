// What a flow run takes from task runs that already ran instead of running them again: a retry reuses its own
// earlier attempts' results, a rerun from a task (`skein flow-run rerun`) the results of the run it reruns and
// the edited inputs of the task it reruns from. A task run is found by its task key and call count (dynamic key),
// as a retry always did. When the code has moved since (the fix that prompted the rerun added lines above a task,
// so its key's line changed), a task is found by its name and file instead, if exactly one stored task has them.
import { parseTaskKey } from "../protocol/task-keys.ts";

/** A result a task run reuses: the task run it came from, its serialized form and its value. */
export interface EarlierResult {
  taskRunId: string;
  /** The flow run it came from, when that is another flow run (a rerun). */
  flowRunId?: string;
  serialized: string | undefined;
  value(): unknown;
}

interface Entry<T> {
  taskKey: string;
  value: T;
}

/** Values by (task key, call count), found again by (name, file, call count) when the key's place moved. */
export class ByTaskIdentity<T> {
  private readonly exact = new Map<string, T>();
  /** null: two stored tasks share that name and file, so it names neither. */
  private readonly moved = new Map<string, Entry<T> | null>();

  get size(): number {
    return this.exact.size;
  }

  set(taskKey: string, dynamicKey: number, value: T): void {
    this.exact.set(`${taskKey}#${dynamicKey}`, value);
    const loose = looseKey(taskKey, dynamicKey);
    if (loose === undefined) return;
    const seen = this.moved.get(loose);
    this.moved.set(loose, seen === undefined || seen?.taskKey === taskKey ? { taskKey, value } : null);
  }

  get(taskKey: string, dynamicKey: number): T | undefined {
    if (this.exact.size === 0) return undefined;
    const found = this.exact.get(`${taskKey}#${dynamicKey}`);
    if (found !== undefined) return found;
    const loose = looseKey(taskKey, dynamicKey);
    return loose === undefined ? undefined : (this.moved.get(loose)?.value ?? undefined);
  }
}

/** `name@file#call`, without the line and column; undefined for keys without a place (subflows, bare names). */
function looseKey(taskKey: string, dynamicKey: number): string | undefined {
  const { name, site } = parseTaskKey(taskKey);
  return site ? `${name}@${site.file}#${dynamicKey}` : undefined;
}
