// The flow of the rerun-from-task benchmark: 999 awaited trivial tasks in a chain, then a 1,000th that fails until
// the file `marker` exists in SKEIN_HOME, as a long pipeline that broke at its last step. It takes no parameters,
// like the flow-start baseline's hello run (parameters would add loading Ajv to both the run and the rerun).
import fs from "node:fs";
import path from "node:path";
import { flow, task } from "skein";

const step = task({ name: "step" }, (index: number, total: number) => total + index);

const finish = task({ name: "finish" }, (total: number) => {
  const marker = path.join(process.env.SKEIN_HOME ?? "", "marker");
  if (!fs.existsSync(marker)) throw new Error(`marker ${marker} missing`);
  return total;
});

export const thousandTasks = flow({ name: "thousand-tasks" }, async () => {
  let total = 0;
  for (let index = 0; index < 999; index++) total = await step(index, total);
  return finish(total);
});
