// Cache policies decide a task run's cache key; a hit reuses a stored result instead of running. Policies compose:
// cachePolicies.INPUTS.and(cachePolicies.TASK_SOURCE). `cacheKeyFn` replaces the policy with a key of your own.
import { createHash } from "node:crypto";
import { serialize } from "./serialize.ts";

type PolicyPart = "INPUTS" | "TASK_SOURCE" | "FLOW_PARAMETERS" | "RUN_ID";

export class CachePolicy {
  constructor(readonly parts: ReadonlySet<PolicyPart>) {}

  /** This policy and another: the key changes when anything either looks at changes. */
  and(other: CachePolicy): CachePolicy {
    return new CachePolicy(new Set([...this.parts, ...other.parts]));
  }

  get isNone(): boolean {
    return this.parts.size === 0;
  }
}

export const cachePolicies = {
  /** The task's arguments. */
  INPUTS: new CachePolicy(new Set(["INPUTS"])),
  /** The task function's source text: editing the task invalidates its cache. */
  TASK_SOURCE: new CachePolicy(new Set(["TASK_SOURCE"])),
  /** The parameters of the flow run the task runs in. */
  FLOW_PARAMETERS: new CachePolicy(new Set(["FLOW_PARAMETERS"])),
  /** The flow run: caches within one run only. */
  RUN_ID: new CachePolicy(new Set(["RUN_ID"])),
  NONE: new CachePolicy(new Set()),
} as const;

export interface CacheKeyContext {
  taskName: string;
  /** The task's identity: its name and where it is defined (protocol/task-keys.ts). */
  taskKey: string;
  taskSource: string;
  flowRunId: string;
  flowParameters: Record<string, unknown>;
  /** The task's arguments by parameter name. */
  parameters: Record<string, unknown>;
}

export function policyCacheKey(policy: CachePolicy, context: CacheKeyContext, args: readonly unknown[]): string | null {
  if (policy.isNone) return null;
  // The task key, not the name alone: two tasks with one display name never share cached results.
  const hash = createHash("sha256").update(context.taskKey);
  const owner = `Task '${context.taskName}'`;
  if (policy.parts.has("INPUTS")) hash.update("\0inputs\0").update(serializeInputs(owner, context.parameters, args));
  if (policy.parts.has("TASK_SOURCE")) hash.update("\0source\0").update(context.taskSource);
  if (policy.parts.has("FLOW_PARAMETERS")) {
    hash.update("\0params\0").update(serialize(context.flowParameters, owner, "cache key", "flow parameters"));
  }
  if (policy.parts.has("RUN_ID")) hash.update("\0run\0").update(context.flowRunId);
  return `${context.taskName}-${hash.digest("hex").slice(0, 32)}`;
}

/**
 * The key a cache entry is stored and looked up under: the task's cache key within its task (its task key) and its
 * project (the absolute folder its file is relative to, `DefinitionSite.project`). A `cacheKeyFn` key names neither,
 * so two tasks returning one key would share entries; task keys and policy keys name files relative to the project,
 * so two projects, or two checkouts of one, sharing a SKEIN_HOME would return each other's results.
 */
export function cacheEntryKey(owner: { project: string; taskKey: string }, cacheKey: string): string {
  const hash = createHash("sha256").update(owner.project).update("\0").update(owner.taskKey);
  return `${cacheKey}@${hash.digest("hex").slice(0, 32)}`;
}

/** The arguments as hashed text; a refusal names the argument by its parameter name where it can. */
function serializeInputs(owner: string, parameters: Record<string, unknown>, args: readonly unknown[]): string {
  try {
    return serialize(args, owner, "cache key", "arguments");
  } catch (error) {
    for (const [name, value] of Object.entries(parameters)) serialize(value, owner, "cache key", `argument ${name}`);
    throw error;
  }
}
