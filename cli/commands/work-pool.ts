// `skein work-pool create|ls|inspect|pause|resume|set-concurrency-limit`: the work pools deployments send their
// runs to, through the server when one runs (else the SQLite file of SKEIN_HOME). Input is checked here with
// the server's own name and type patterns, since the SQLite path has no server to check it.
import type { Command } from "commander";
import type { WorkPoolRecord } from "../../store/types.ts";
import { RESOURCE_NAME_RULE, WORK_POOL_TYPE_PATTERN } from "../../protocol/api/work-pools.ts";
import { withCliStore, type CliStore } from "./connection.ts";
import { printJson, printLine, printTable, shortTime } from "./output.ts";

const NAME = new RegExp(RESOURCE_NAME_RULE.pattern);
const TYPE = new RegExp(WORK_POOL_TYPE_PATTERN);

function checkedName(name: string): string {
  if (!NAME.test(name) || name.length > RESOURCE_NAME_RULE.maxLength) {
    throw new Error(
      `Invalid work pool name '${name}': use 1-${RESOURCE_NAME_RULE.maxLength} characters, no '/' or '%', no space at either end`,
    );
  }
  return name;
}

function checkedLimit(text: string): number {
  const limit = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(limit) || limit > 1_000_000) {
    throw new Error(`Invalid concurrency limit '${text}': use a whole number from 0 to 1000000`);
  }
  return limit;
}

async function requirePool(cli: CliStore, name: string): Promise<WorkPoolRecord> {
  const pool = await cli.store.getWorkPool(name);
  if (!pool) throw new Error(`No work pool named '${name}' in ${cli.via}; 'skein work-pool ls' lists them`);
  return pool;
}

const status = (pool: WorkPoolRecord) => (pool.paused ? "paused" : "ready");
const limitText = (limit: number | null) => (limit === null ? "none" : String(limit));

export function register(program: Command): void {
  const group = program.command("work-pool").description("Work pools: where deployments' runs wait for workers");

  group
    .command("create")
    .argument("<name>")
    .description("Create a work pool (with its 'default' queue)")
    .option("--type <type>", "the kind of worker that serves it", "process")
    .option("--description <text>")
    .option("--concurrency-limit <n>", "most runs of the pool running at once")
    .option("--paused", "create it paused")
    .option("--json", "as JSON")
    .action(
      (
        name: string,
        options: { type: string; description?: string; concurrencyLimit?: string; paused?: boolean; json?: boolean },
      ) =>
        withCliStore(async (cli) => {
          if (!TYPE.test(options.type))
            throw new Error(
              `Invalid work pool type '${options.type}': use lowercase letters, digits and '-', e.g. process`,
            );
          const outcome = await cli.store.createWorkPool({
            name: checkedName(name),
            type: options.type,
            description: options.description ?? null,
            paused: options.paused ?? false,
            concurrencyLimit: options.concurrencyLimit === undefined ? null : checkedLimit(options.concurrencyLimit),
          });
          if (!("created" in outcome)) throw new Error(`Cannot create work pool '${name}': ${outcome.message}`);
          if (options.json) return printJson(outcome.created);
          printLine(`Created work pool '${name}' (type ${outcome.created.type}) with queue 'default'`);
        }),
    );

  group
    .command("ls")
    .description("The work pools")
    .option("--json", "as JSON")
    .action((options: { json?: boolean }) =>
      withCliStore(async (cli) => {
        const pools = await cli.store.listWorkPools();
        if (options.json) return printJson(pools);
        printTable(
          ["NAME", "TYPE", "STATUS", "CONCURRENCY LIMIT", "DESCRIPTION"],
          pools.map((pool) => [pool.name, pool.type, status(pool), limitText(pool.concurrencyLimit), pool.description]),
        );
      }),
    );

  group
    .command("inspect")
    .argument("<name>")
    .description("A work pool with its queues and deployments")
    .option("--json", "as JSON")
    .action((name: string, options: { json?: boolean }) =>
      withCliStore(async (cli) => {
        const pool = await requirePool(cli, name);
        const [queues, deployments, workers] = await Promise.all([
          cli.store.listWorkQueues(name),
          cli.store.listDeployments({ workPoolName: name }),
          cli.store.listWorkers(name),
        ]);
        if (options.json) return printJson({ ...pool, workQueues: queues, deployments, workers });
        printLine(`Work pool '${pool.name}'${pool.description ? ` - ${pool.description}` : ""}`);
        printLine(`  type:              ${pool.type}`);
        printLine(`  status:            ${status(pool)}`);
        printLine(`  concurrency limit: ${limitText(pool.concurrencyLimit)}`);
        printLine(`  created:           ${shortTime(pool.createdAt)}`);
        printLine(`  deployments:       ${deployments.map((d) => `${d.flowName}/${d.name}`).join(", ") || "(none)"}`);
        printLine(
          `  workers:           ${workers.map((w) => `${w.name} (last poll ${shortTime(w.lastPollAt)})`).join(", ") || "(none has polled)"}`,
        );
        printLine();
        printTable(
          ["QUEUE", "PRIORITY", "STATUS", "CONCURRENCY LIMIT"],
          queues.map((queue) => [
            queue.name,
            queue.priority,
            queue.paused ? "paused" : "ready",
            limitText(queue.concurrencyLimit),
          ]),
        );
      }),
    );

  for (const [command, paused] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    group
      .command(command)
      .argument("<name>")
      .description(paused ? "Stop workers from starting runs of the pool" : "Let workers start runs of the pool again")
      .action((name: string) =>
        withCliStore(async (cli) => {
          await requirePool(cli, name);
          await cli.store.updateWorkPool(name, { paused });
          printLine(`Work pool '${name}' is ${paused ? "paused" : "ready"}`);
        }),
      );
  }

  group
    .command("set-concurrency-limit")
    .argument("<name>")
    .argument("<limit>", "most runs of the pool running at once, or 'none' to remove the limit")
    .description("Limit how many runs of the pool run at once")
    .action((name: string, limit: string) =>
      withCliStore(async (cli) => {
        await requirePool(cli, name);
        const concurrencyLimit = limit === "none" ? null : checkedLimit(limit);
        await cli.store.updateWorkPool(name, { concurrencyLimit });
        printLine(`Work pool '${name}' concurrency limit: ${limitText(concurrencyLimit)}`);
      }),
    );

  registerQueueCommands(program);
}

/** `skein work-queue create|ls|pause|resume|set-concurrency-limit NAME --pool P`: the queues of a pool. */
function registerQueueCommands(program: Command): void {
  const group = program
    .command("work-queue")
    .description("Queues of a work pool: workers take runs from the lowest priority number first");

  async function requireQueue(cli: CliStore, pool: string, name: string) {
    const queue = await cli.store.getWorkQueue(pool, name);
    if (!queue)
      throw new Error(`Work pool '${pool}' has no queue named '${name}'; 'skein work-queue ls --pool ${pool}'`);
    return queue;
  }

  group
    .command("create")
    .argument("<name>")
    .requiredOption("--pool <pool>", "the work pool")
    .option("--priority <n>", "lower runs first (default: after the last queue)")
    .option("--concurrency-limit <n>", "most runs of the queue running at once")
    .action((name: string, options: { pool: string; priority?: string; concurrencyLimit?: string }) =>
      withCliStore(async (cli) => {
        const priority = options.priority === undefined ? undefined : checkedLimit(options.priority);
        if (priority === 0) throw new Error("Invalid priority '0': use a whole number from 1 (first) up");
        const outcome = await cli.store.createWorkQueue(options.pool, {
          name: checkedName(name),
          priority,
          concurrencyLimit: options.concurrencyLimit === undefined ? null : checkedLimit(options.concurrencyLimit),
        });
        if ("refused" in outcome) throw new Error(`Cannot create work queue '${name}': ${outcome.message}`);
        printLine(`Created work queue '${name}' in pool '${options.pool}' with priority ${outcome.created.priority}`);
      }),
    );

  group
    .command("ls")
    .requiredOption("--pool <pool>", "the work pool")
    .option("--json", "as JSON")
    .action((options: { pool: string; json?: boolean }) =>
      withCliStore(async (cli) => {
        await requirePool(cli, options.pool);
        const queues = await cli.store.listWorkQueues(options.pool);
        if (options.json) return printJson(queues);
        printTable(
          ["QUEUE", "PRIORITY", "STATUS", "CONCURRENCY LIMIT"],
          queues.map((q) => [q.name, q.priority, q.paused ? "paused" : "ready", limitText(q.concurrencyLimit)]),
        );
      }),
    );

  for (const [command, paused] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    group
      .command(command)
      .argument("<name>")
      .requiredOption("--pool <pool>", "the work pool")
      .action((name: string, options: { pool: string }) =>
        withCliStore(async (cli) => {
          await requireQueue(cli, options.pool, name);
          await cli.store.updateWorkQueue(options.pool, name, { paused });
          printLine(`Work queue '${name}' of pool '${options.pool}' is ${paused ? "paused" : "ready"}`);
        }),
      );
  }

  group
    .command("set-concurrency-limit")
    .argument("<name>")
    .argument("<limit>", "most runs of the queue running at once, or 'none'")
    .requiredOption("--pool <pool>", "the work pool")
    .action((name: string, limit: string, options: { pool: string }) =>
      withCliStore(async (cli) => {
        await requireQueue(cli, options.pool, name);
        const concurrencyLimit = limit === "none" ? null : checkedLimit(limit);
        await cli.store.updateWorkQueue(options.pool, name, { concurrencyLimit });
        printLine(`Work queue '${name}' of pool '${options.pool}' concurrency limit: ${limitText(concurrencyLimit)}`);
      }),
    );
}
