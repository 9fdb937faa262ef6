// Concurrency: global limits held in the store (they hold across processes), tag limits, and a rate limit.
// Limits are usually created once with `skein gcl create NAME LIMIT`; this example creates its own.
//   npx skein run examples/concurrency.ts:throttled
import { flow, task, concurrency, rateLimit, setConcurrencyLimit, tags, getRunLogger } from "skein";

let inDatabase = 0;
let peak = 0;

export const query = task({ name: "query", tags: ["database"] }, async (n: number) => {
  inDatabase++;
  peak = Math.max(peak, inDatabase);
  await new Promise((resolve) => setTimeout(resolve, 10));
  inDatabase--;
  return n;
});

export const callPartner = task({ name: "call-partner" }, async (n: number) => {
  await rateLimit("partner-api");
  return concurrency("partner-connections", 1, async () => n * 2);
});

export const throttled = flow({ name: "throttled" }, async () => {
  await setConcurrencyLimit("tag:database", 2);
  await setConcurrencyLimit("partner-connections", 1);
  await setConcurrencyLimit("partner-api", 5, { slotDecayPerSecond: 50 });
  const queries = await Promise.all(query.map([1, 2, 3, 4, 5, 6]).map((f) => f.result()));
  const calls = await tags(["partner"], () => Promise.all(callPartner.map([1, 2, 3]).map((f) => f.result())));
  getRunLogger().info(`at most ${peak} queries ran at once`);
  return { queries, calls, peak };
});
