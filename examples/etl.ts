// ETL with retries, caching and persisted results. The extract step is cached by its inputs for an hour, so a
// second run with the same date reuses it (state Cached); the flaky load step retries with backoff and jitter.
//   npx skein run examples/etl.ts:etl --param date=2024-01-01
import { flow, task, cachePolicies, exponentialBackoff, createTableArtifact, getRunLogger } from "skein";

interface Row {
  id: number;
  amount: number;
  day: Date;
}

export const extract = task(
  { name: "extract", cachePolicy: cachePolicies.INPUTS.and(cachePolicies.TASK_SOURCE), cacheExpiration: 3600 },
  async (date: string): Promise<Row[]> => {
    getRunLogger().info(`fetching rows for ${date}`);
    return Array.from({ length: 5 }, (_, i) => ({ id: i, amount: (i + 1) * 10, day: new Date(`${date}T00:00:00Z`) }));
  },
);

export const transform = task({ name: "transform" }, (rows: Row[]) => rows.map((row) => ({ ...row, amount: row.amount * 1.2 })));

let loadAttempts = 0;
export const load = task(
  { name: "load", retries: 3, retryDelaySeconds: exponentialBackoff(0.05), retryJitterFactor: 0.5 },
  (rows: Row[]) => {
    // The warehouse refuses the first write, as real ones sometimes do.
    if (++loadAttempts === 1) throw new Error("warehouse busy");
    return rows.reduce((sum, row) => sum + row.amount, 0);
  },
);

export const etl = flow(
  { name: "etl", flowRunName: "etl-{date}", logPrints: true, parameterSchema: { type: "object", properties: { date: { type: "string", format: "date" } }, required: ["date"] } },
  async (date: string) => {
    const rows = await transform(await extract(date));
    const total = await load(rows);
    createTableArtifact(rows.map(({ id, amount }) => ({ id, amount })), { key: "etl-rows", description: `rows of ${date}` });
    console.log(`loaded ${rows.length} rows`);
    return { date, total };
  },
);
