// `skein variable | secret | gcl` (alias concurrency-limit): named values, encrypted secrets and global
// concurrency limits in the store of SKEIN_HOME.
import type { Command } from "commander";
import { closeRuntime, getStore } from "../runtime.ts";
import { Variable } from "../variables.ts";
import { Secret } from "../secrets.ts";
import { deleteConcurrencyLimit, setConcurrencyLimit } from "../concurrency/limits.ts";

const print = (line: string) => process.stdout.write(`${line}\n`);

/** Runs a command body, then closes the store so the process can exit. */
const action =
  <A extends unknown[]>(body: (...args: A) => Promise<void>) =>
  async (...args: A) => {
    try {
      await body(...args);
    } finally {
      await closeRuntime();
    }
  };

export function registerStoreCommands(program: Command): void {
  const variable = program.command("variable").description("Named JSON values shared by runs");
  variable.command("set").argument("<name>").argument("<value>", "JSON, or a plain string").option("--overwrite", "replace an existing value")
    .action(action(async (name: string, value: string, options: { overwrite?: boolean }) => {
      let parsed: unknown = value;
      try {
        parsed = JSON.parse(value);
      } catch {
        // a plain string
      }
      await Variable.set(name, parsed, { overwrite: options.overwrite });
    }));
  variable.command("get").argument("<name>").action(action(async (name: string) => {
    const value = await Variable.get(name);
    if (value === undefined) throw new Error(`No variable named '${name}'`);
    print(JSON.stringify(value));
  }));
  variable.command("ls").action(action(async () => {
    for (const { name, value } of await getStore().listVariables()) print(`${name}\t${JSON.stringify(value)}`);
  }));
  variable.command("unset").argument("<name>").action(action(async (name: string) => {
    if (!(await Variable.unset(name))) throw new Error(`No variable named '${name}'`);
  }));

  const secret = program.command("secret").description("Encrypted secrets (AES-256-GCM, key in SKEIN_HOME)");
  secret.command("set").argument("<name>").argument("<value>").action(action(async (name: string, value: string) => Secret.set(name, value)));
  secret.command("ls").action(action(async () => {
    for (const name of await getStore().listSecretNames()) print(name);
  }));
  secret.command("unset").argument("<name>").action(action(async (name: string) => {
    if (!(await Secret.unset(name))) throw new Error(`No secret named '${name}'`);
  }));

  const gcl = program.command("gcl").alias("concurrency-limit").description("Global concurrency limits and rate limits (tag limits are named tag:<tag>)");
  gcl.command("create").argument("<name>").argument("<limit>").option("--slot-decay-per-second <rate>", "make it a rate limit")
    .action(action(async (name: string, limit: string, options: { slotDecayPerSecond?: string }) => {
      await setConcurrencyLimit(name, Number(limit), { slotDecayPerSecond: options.slotDecayPerSecond ? Number(options.slotDecayPerSecond) : undefined });
    }));
  gcl.command("ls").action(action(async () => {
    for (const l of await getStore().listConcurrencyLimits()) {
      print(`${l.name}\t${l.activeSlots}/${l.limit}${l.slotDecayPerSecond ? `\tdecay ${l.slotDecayPerSecond}/s` : ""}`);
    }
  }));
  gcl.command("delete").argument("<name>").action(action(async (name: string) => {
    if (!(await deleteConcurrencyLimit(name))) throw new Error(`No concurrency limit named '${name}'`);
  }));
}
