// Registering a deployment, the one way `skein deploy` (skein.yaml) and `flow.deploy()` (code) both do it: by
// flow name and deployment name, so deploying the same thing twice changes nothing, and deploying a changed one
// updates it in place. A work pool is never created on the side: a missing pool is an error that names the
// command that creates it, since a pool nobody serves would leave every run waiting without a word.
import type { DeploymentInput, DeploymentPatch, DeploymentRecord, Store } from "../store/types.ts";
import { SkeinError } from "./errors.ts";

export type UpsertAction = "created" | "updated" | "unchanged" | "replaced";

export interface UpsertOutcome {
  action: UpsertAction;
  deployment: DeploymentRecord;
}

/** The deployment's work pool (or queue) does not exist; the message says how to create it. */
/** A work pool or queue the deployment names is missing; `key` is the `work_pool` key that names it (for located errors). */
export class MissingWorkPoolError extends SkeinError {
  constructor(
    message: string,
    readonly key: "name" | "work_queue_name",
  ) {
    super(message);
  }
}

type DeploymentStore = Pick<
  Store,
  "getWorkPool" | "getWorkQueue" | "getDeploymentByName" | "createDeployment" | "updateDeployment" | "deleteDeployment"
>;

/** The fields a later deploy may change in place (DeploymentPatch), in the order they are compared. */
const patchable = [
  "description",
  "parameters",
  "parameterSchema",
  "enforceParameterSchema",
  "schedules",
  "jobVariables",
  "tags",
  "concurrencyLimit",
  "collisionStrategy",
  "paused",
] as const satisfies readonly (keyof DeploymentPatch)[];

/** `where` names the store for messages ("the server at URL" or the SQLite file). */
export async function upsertDeployment(
  store: DeploymentStore,
  input: DeploymentInput,
  where: string,
): Promise<UpsertOutcome> {
  await requirePool(store, input, where);
  const existing = await store.getDeploymentByName(input.flowName, input.name);
  if (!existing) return { action: "created", deployment: await create(store, input) };
  const moved =
    existing.entrypoint !== input.entrypoint ||
    existing.workPoolName !== (input.workPoolName ?? null) ||
    (input.workQueueName != null && existing.workQueueName !== input.workQueueName);
  if (moved) {
    // Entrypoint and pool are a deployment's identity in the store (no patch changes them): register it anew.
    await store.deleteDeployment(existing.id);
    return { action: "replaced", deployment: await create(store, input) };
  }
  const patch: Record<string, unknown> = {};
  for (const field of patchable) {
    if (!(field in input)) continue;
    if (JSON.stringify(input[field] ?? null) !== JSON.stringify(existing[field] ?? null)) patch[field] = input[field];
  }
  if (!Object.keys(patch).length) return { action: "unchanged", deployment: existing };
  const updated = await store.updateDeployment(existing.id, patch as DeploymentPatch);
  if (!updated) return { action: "created", deployment: await create(store, input) }; // deleted meanwhile
  return { action: "updated", deployment: updated.deployment };
}

async function requirePool(store: DeploymentStore, input: DeploymentInput, where: string): Promise<void> {
  const pool = input.workPoolName;
  if (!pool) return;
  if (!(await store.getWorkPool(pool))) {
    throw new MissingWorkPoolError(
      `Work pool '${pool}' does not exist in ${where}. Skein does not create pools on the side: create it with \`skein work-pool create ${pool}\` (and start a worker for it), then deploy again`,
      "name",
    );
  }
  const queue = input.workQueueName;
  if (queue && !(await store.getWorkQueue(pool, queue))) {
    throw new MissingWorkPoolError(
      `Work pool '${pool}' has no queue '${queue}' in ${where}: leave work_queue_name out to use its 'default' queue`,
      "work_queue_name",
    );
  }
}

async function create(store: DeploymentStore, input: DeploymentInput): Promise<DeploymentRecord> {
  const outcome = await store.createDeployment(input);
  if ("created" in outcome) return outcome.created;
  throw new SkeinError(`Cannot register deployment '${input.flowName}/${input.name}': ${outcome.message}`);
}
