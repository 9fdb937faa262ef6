// Only for store/types.ts, which imports CreateRefusal from here (its owner moves that import to common.ts;
// then this file goes). The work pool and deployment schemas are in work-pools.ts and deployments.ts.
export type { CreateRefusal } from "./common.ts";
