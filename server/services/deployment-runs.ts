// Creating a deployment's run on the server (ScheduleRun): the deployment's parameters with the schedule's and
// the request's on top, checked against the stored parameter schema when the deployment enforces it (one line per
// bad parameter, a name the schema does not list among them), stored Scheduled for a worker of its pool, and
// announced on the live stream. The API route (`skein deployment run`) and the scheduler both create runs here.
import { newId } from "../../protocol/ids.ts";
import { closedParameterSchema, parameterErrorLines, parameterValidator } from "../../protocol/parameter-validation.ts";
import type { RunEvent } from "../../protocol/run-events.ts";
import { requireTransition, type State } from "../../protocol/states.ts";
import type { DeploymentRecord, FlowRunRecord, RunSchedule, Store } from "../../store/types.ts";

export interface DeploymentRunOptions {
  /** The request's parameters (over the schedule's and the deployment's). */
  parameters?: Record<string, unknown>;
  /** The schedule's parameters (over the deployment's). */
  scheduleParameters?: Record<string, unknown>;
  /** When the run is due; now when absent. */
  scheduledTime?: string;
  idempotencyKey?: string | null;
  /** The schedule the scheduler makes it from (store/schedule-runs.ts); absent for a run asked for by hand. */
  schedule?: RunSchedule;
  tags?: string[];
  /** Says who asked, in the Scheduled state's message. */
  origin: string;
}

/** Why a run cannot be created: the status the API answers and one message (lines for several parameters). */
export class DeploymentRunRefused extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The run's parameters, or DeploymentRunRefused(422) listing every parameter that does not fit the schema. */
export function deploymentRunParameters(
  deployment: DeploymentRecord,
  options: Pick<DeploymentRunOptions, "parameters" | "scheduleParameters">,
): Record<string, unknown> {
  const parameters = { ...deployment.parameters, ...options.scheduleParameters, ...options.parameters };
  if (!deployment.enforceParameterSchema || !deployment.parameterSchema) return parameters;
  const validate = parameterValidator(closedParameterSchema(deployment.parameterSchema));
  if (validate(parameters)) return parameters;
  const lines = parameterErrorLines(validate.errors);
  throw new DeploymentRunRefused(
    422,
    `Invalid parameters for deployment '${deployment.flowName}/${deployment.name}':\n${lines.map((line) => `  - ${line}`).join("\n")}`,
  );
}

/** Creates the run (or finds the one of its idempotency key); `onCreated` hears the news for live streams. */
export async function createDeploymentRun(
  store: Pick<Store, "createDeploymentRun">,
  deployment: DeploymentRecord,
  options: DeploymentRunOptions,
  onCreated: (events: readonly RunEvent[]) => void = () => undefined,
): Promise<{ run: FlowRunRecord; created: boolean }> {
  if (!deployment.workPoolName) {
    throw new DeploymentRunRefused(
      422,
      `deployment '${deployment.flowName}/${deployment.name}' has no work pool, so no worker would run it; set work_pool.name`,
    );
  }
  const parameters = deploymentRunParameters(deployment, options);
  const now = new Date().toISOString();
  const expectedStartTime = options.scheduledTime ? new Date(options.scheduledTime).toISOString() : now;
  if (Number.isNaN(Date.parse(expectedStartTime)))
    throw new DeploymentRunRefused(422, `scheduledTime '${options.scheduledTime}' is not a time`);
  requireTransition("new run", "Scheduled");
  const state: State = {
    type: "SCHEDULED",
    name: "Scheduled",
    timestamp: now,
    message: options.origin,
    details: { scheduledTime: expectedStartTime },
  };
  const id = newId();
  const outcome = await store.createDeploymentRun({
    id,
    name: `${deployment.name}-${id.slice(-8)}`,
    deployment,
    parameters,
    tags: [...new Set([...deployment.tags, ...(options.tags ?? [])])],
    expectedStartTime,
    idempotencyKey: options.idempotencyKey ?? null,
    schedule: options.schedule ?? null,
    state,
  });
  if (outcome.created) onCreated([createdEvent(outcome.run)]);
  return outcome;
}

/** The live stream's news of a run created without a process (nothing is stored from it: the run is). */
function createdEvent(run: FlowRunRecord): RunEvent {
  return {
    kind: "flow-run-created",
    id: `created-${run.id}`,
    timestamp: run.state.timestamp,
    flowRunId: run.id,
    name: run.name,
    flowName: run.flowName,
    parameters: run.parameters,
    tags: run.tags,
    entrypoint: run.entrypoint ?? undefined,
    pid: 0,
    state: run.state,
  };
}
