// Every HTTP route of the Skein API, by resource. The server registers exactly these (a test compares them with
// the routes fastify knows), and clients call them through ApiClient.call.
import { artifactsApi } from "./artifacts.ts";
import { cacheApi } from "./cache.ts";
import { concurrencyApi } from "./concurrency.ts";
import type { RouteContract } from "./contract.ts";
import { deploymentsApi } from "./deployments.ts";
import { eventsApi } from "./events.ts";
import { flowRunsApi } from "./flow-runs.ts";
import { healthApi } from "./health.ts";
import { logsApi } from "./logs.ts";
import { secretsApi } from "./secrets.ts";
import { taskRunsApi } from "./task-runs.ts";
import { variablesApi } from "./variables.ts";
import { workPoolsApi } from "./work-pools.ts";
import { workersApi } from "./workers.ts";

export const API_RESOURCES: Record<string, Record<string, RouteContract>> = {
  health: healthApi,
  events: eventsApi,
  flowRuns: flowRunsApi,
  taskRuns: taskRunsApi,
  logs: logsApi,
  artifacts: artifactsApi,
  cache: cacheApi,
  variables: variablesApi,
  secrets: secretsApi,
  concurrency: concurrencyApi,
  workPools: workPoolsApi,
  deployments: deploymentsApi,
  workers: workersApi,
};

export const API_ROUTES: readonly RouteContract[] = Object.values(API_RESOURCES).flatMap((routes) =>
  Object.values(routes),
);
