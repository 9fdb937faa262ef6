// `skein variable | secret | gcl` (alias concurrency-limit): named values, encrypted secrets (their values read
// from standard input, secret-input.ts) and global concurrency limits in the CLI's store (connection.ts).
import type { Command } from "commander";
import { Variable } from "../../engine/variables.ts";
import { Secret } from "../../engine/secrets.ts";
import { deleteConcurrencyLimit, setConcurrencyLimit } from "../../engine/concurrency/limits.ts";
import { withCliStore } from "./connection.ts";
import { printJson, printLine, printTable } from "./output.ts";
import { readSecretValue } from "./secret-input.ts";

export function register(program: Command): void {
  const variable = program.command("variable").description("Named JSON values shared by runs");
  variable
    .command("set")
    .argument("<name>")
    .argument("<value>", "JSON, or a plain string")
    .option("--overwrite", "replace an existing value")
    .action((name: string, value: string, options: { overwrite?: boolean }) =>
      withCliStore(async (cli) => {
        let parsed: unknown = value;
        try {
          parsed = JSON.parse(value);
        } catch {
          // a plain string
        }
        await Variable.set(name, parsed, { overwrite: options.overwrite });
      }),
    );
  variable
    .command("get")
    .argument("<name>")
    .action((name: string) =>
      withCliStore(async (cli) => {
        const value = await Variable.get(name);
        if (value === undefined) throw new Error(`No variable named '${name}'`);
        printLine(JSON.stringify(value));
      }),
    );
  variable
    .command("ls")
    .option("--json", "as JSON")
    .action((options: { json?: boolean }) =>
      withCliStore(async (cli) => {
        const variables = await cli.store.listVariables();
        if (options.json) return printJson(variables);
        printTable(
          ["NAME", "VALUE"],
          variables.map(({ name, value }) => [name, JSON.stringify(value)]),
        );
      }),
    );
  variable
    .command("unset")
    .argument("<name>")
    .action((name: string) =>
      withCliStore(async (cli) => {
        if (!(await Variable.unset(name))) throw new Error(`No variable named '${name}'`);
      }),
    );

  const secret = program.command("secret").description("Encrypted secrets (AES-256-GCM, key in SKEIN_HOME)");
  secret
    .command("set")
    .description("Encrypt a value read from standard input (a hidden prompt, or a pipe for scripts)")
    .argument("<name>")
    .argument("[value]", "refused: a value on the command line lands in shell history and ps")
    .addHelpText(
      "after",
      `\nExamples:\n  skein secret set db-password\n  printf %s "$TOKEN" | skein secret set api-token`,
    )
    .action(async (name: string, value: string | undefined) => {
      if (value !== undefined) {
        throw new Error(
          `skein secret set reads the value from standard input, not the command line (where it lands in shell ` +
            `history and ps): run 'skein secret set ${name}' and type it, or pipe it in`,
        );
      }
      const read = await readSecretValue(name);
      await withCliStore(() => Secret.set(name, read));
    });
  secret
    .command("ls")
    .description("Secret names (values are never shown)")
    .option("--json", "as JSON")
    .action((options: { json?: boolean }) =>
      withCliStore(async (cli) => {
        const names = await cli.store.listSecretNames();
        if (options.json) return printJson(names);
        printTable(
          ["NAME"],
          names.map((name) => [name]),
        );
      }),
    );
  secret
    .command("unset")
    .argument("<name>")
    .action((name: string) =>
      withCliStore(async (cli) => {
        if (!(await Secret.unset(name))) throw new Error(`No secret named '${name}'`);
      }),
    );

  const gcl = program
    .command("gcl")
    .alias("concurrency-limit")
    .description("Global concurrency limits and rate limits (tag limits are named tag:<tag>)");
  gcl
    .command("create")
    .argument("<name>")
    .argument("<limit>")
    .option("--slot-decay-per-second <rate>", "make it a rate limit")
    .action((name: string, limit: string, options: { slotDecayPerSecond?: string }) =>
      withCliStore(async (cli) => {
        await setConcurrencyLimit(name, Number(limit), {
          slotDecayPerSecond: options.slotDecayPerSecond ? Number(options.slotDecayPerSecond) : undefined,
        });
      }),
    );
  gcl
    .command("ls")
    .option("--json", "as JSON")
    .action((options: { json?: boolean }) =>
      withCliStore(async (cli) => {
        const limits = await cli.store.listConcurrencyLimits();
        if (options.json) return printJson(limits);
        printTable(
          ["NAME", "ACTIVE", "LIMIT", "SLOT DECAY"],
          limits.map((l) => [l.name, l.activeSlots, l.limit, l.slotDecayPerSecond ? `${l.slotDecayPerSecond}/s` : ""]),
        );
      }),
    );
  gcl
    .command("delete")
    .argument("<name>")
    .action((name: string) =>
      withCliStore(async (cli) => {
        if (!(await deleteConcurrencyLimit(name))) throw new Error(`No concurrency limit named '${name}'`);
      }),
    );
}
