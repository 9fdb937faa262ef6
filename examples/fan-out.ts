// Fan-out with map: one task run per item, at most 4 at a time, with a shared argument passed whole.
//   npx skein run examples/fan-out.ts:fanOut --param count=20
import { flow, task, unmapped, asCompleted, wait, getRunLogger } from "skein";

export const score = task({ name: "score" }, async (item: number, weight: number) => {
  await new Promise((resolve) => setTimeout(resolve, 5 + (item % 3) * 5));
  return item * weight;
});

export const fanOut = flow({ name: "fan-out", taskConcurrency: 4 }, async (count: number = 12) => {
  const items = Array.from({ length: count }, (_, i) => i + 1);
  const futures = score.map(items, unmapped(10));
  let first: number | undefined;
  for await (const future of asCompleted(futures)) {
    first ??= await future.result();
  }
  const { done, notDone } = await wait(futures);
  getRunLogger().info(`first finished: ${first}; done ${done.length}, not done ${notDone.length}`);
  const scores = await Promise.all(futures.map((future) => future.result()));
  return scores.reduce((a, b) => a + b, 0);
});
