// `skein deploy [--all | NAME] [--file skein.yaml]`: registers the deployments of a skein.yaml, read by the one
// model the editor uses (protocol/skein-yaml), with each entrypoint resolved to its flow and the parameter
// schema derived from the TypeScript signature (cli/parameter-schemas.ts, the editor's analysis). Deploying is
// an upsert by flow and deployment name (engine/deployment-upsert.ts), so running it twice changes nothing.
// Every problem is printed as file:line:col; nothing is registered while any selected deployment has one.
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { parseEntrypoint } from "../../protocol/entrypoints.ts";
import { type Finding, locate, type Range } from "../../protocol/skein-yaml/document.ts";
import {
  type DeploymentSpec,
  isTemplate,
  readSkeinYaml,
  scheduleForStore,
  type SkeinYamlModel,
} from "../../protocol/skein-yaml/model.ts";
import { MissingWorkPoolError, upsertDeployment, type UpsertOutcome } from "../../engine/deployment-upsert.ts";
import type { DeploymentInput } from "../../store/types.ts";
import { parameterValidator } from "../../protocol/parameter-validation.ts";
import type { JsonSchema } from "../../engine/parameters.ts";
import { exportedFlows } from "../parameter-schemas.ts";
import { withCliStore } from "./connection.ts";
import { printJson, printLine } from "./output.ts";

interface DeployOptions {
  all?: boolean;
  file?: string;
  json?: boolean;
}

/** A deployment ready to register, and where it is written (for located errors). */
interface Registration {
  spec: DeploymentSpec;
  input: DeploymentInput;
}

class DeployRefused extends Error {}

export function register(program: Command): void {
  program
    .command("deploy")
    .argument("[name]", "the deployment to register (its `name` in skein.yaml)")
    .description("Register deployments from skein.yaml (idempotent: by flow and deployment name)")
    .option("--all", "every deployment of the file")
    .option("--file <path>", "the deployment file", "skein.yaml")
    .option("--json", "the registered deployments as JSON")
    .action((name: string | undefined, options: DeployOptions) => deploy(name, options));
}

async function deploy(name: string | undefined, options: DeployOptions): Promise<void> {
  const file = path.resolve(options.file ?? "skein.yaml");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new DeployRefused(
      `No deployment file at ${file}: run \`skein deploy\` in the folder that holds skein.yaml, or pass --file PATH`,
    );
  }
  const model = readSkeinYaml(file, text);
  const relative = path.relative(process.cwd(), file);
  const shown = relative && !relative.startsWith("..") ? relative : file;
  const report = (finding: Finding) =>
    process.stderr.write(`${locate(shown, finding)}: ${finding.severity}: ${finding.message}\n`);
  const selected = select(model, name, options.all === true);
  const problems = model.findings.filter((finding) => finding.severity === "error");
  for (const finding of model.findings.filter((f) => f.severity === "warning" && inAny(f.range, model, selected)))
    report(finding);
  const registrations: Registration[] = [];
  for (const spec of selected) {
    const registration = await prepare(model, spec, problems);
    if (registration) registrations.push(registration);
  }
  if (problems.length) {
    for (const problem of problems) report(problem);
    throw new DeployRefused(`Nothing deployed: ${problems.length} problem(s) in ${shown}`);
  }

  const outcomes = await withCliStore(async (cli) => {
    const done: UpsertOutcome[] = [];
    for (const registration of registrations) {
      try {
        done.push(await upsertDeployment(cli.store, registration.input, cli.via));
      } catch (error) {
        if (!(error instanceof MissingWorkPoolError)) throw error;
        const at = model.document.rangeOfNode(
          model.document.nodeAt(["deployments", registration.spec.index, "work_pool", error.key]),
        );
        report({ range: at, message: error.message, severity: "error", code: "missing-work-pool" });
        throw new DeployRefused(
          `Deployment '${registration.input.name}' not registered${done.length ? ` (${done.length} before it were)` : ""}`,
        );
      }
    }
    return done;
  });
  if (options.json) return printJson(outcomes.map((outcome) => ({ action: outcome.action, ...outcome.deployment })));
  outcomes.forEach(({ action, deployment }) => {
    const pool = deployment.workPoolName
      ? ` → work pool '${deployment.workPoolName}'`
      : " (no work pool: run it with `skein deployment run`)";
    const schedules = deployment.schedules.length ? `, ${deployment.schedules.length} schedule(s)` : "";
    printLine(
      `${action[0].toUpperCase()}${action.slice(1)} deployment '${deployment.flowName}/${deployment.name}' (${deployment.id})${pool}${schedules}`,
    );
  });
}

/** The deployments `name` or `--all` picks; one deployment needs no name. */
function select(model: SkeinYamlModel, name: string | undefined, all: boolean): DeploymentSpec[] {
  const { deployments } = model;
  const names = deployments.map((spec) => spec.name).filter((n): n is string => n !== undefined);
  if (all) return deployments;
  if (name !== undefined) {
    const picked = deployments.filter((spec) => spec.name === name);
    if (!picked.length)
      throw new DeployRefused(
        `No deployment named '${name}' in ${model.document.file}; its deployments: ${names.join(", ") || "none"}`,
      );
    return picked;
  }
  if (deployments.length === 1) return deployments;
  throw new DeployRefused(
    deployments.length
      ? `${model.document.file} has ${deployments.length} deployments: name one (${names.join(", ")}) or pass --all`
      : `${model.document.file} has no deployments: add one under \`deployments:\``,
  );
}

const inAny = (range: Range, model: SkeinYamlModel, specs: DeploymentSpec[]): boolean =>
  specs.some((spec) => {
    const span = model.document.rangeOfNode(model.document.nodeAt(["deployments", spec.index]));
    return range.start.line >= span.start.line && range.end.line <= span.end.line;
  }) ||
  !model.deployments.some((spec) => {
    const span = model.document.rangeOfNode(model.document.nodeAt(["deployments", spec.index]));
    return range.start.line >= span.start.line && range.end.line <= span.end.line;
  });

/** The registration of one deployment, or undefined with its problems added to `problems`. */
async function prepare(
  model: SkeinYamlModel,
  spec: DeploymentSpec,
  problems: Finding[],
): Promise<Registration | undefined> {
  const { document } = model;
  const at = (key: string) =>
    document.rangeOfNode(
      document.nodeAt(["deployments", spec.index, key]) ?? document.nodeAt(["deployments", spec.index]),
    );
  const problem = (range: Range, message: string, code: string) => {
    problems.push({ range, message, severity: "error", code });
    return undefined;
  };
  if (spec.name === undefined || spec.entrypoint === undefined)
    return problem(
      at("name"),
      `Deployment #${spec.index + 1} needs a \`name\` and an \`entrypoint\` to be deployed`,
      "incomplete-deployment",
    );
  const entrypoint = parseEntrypoint(spec.entrypoint);
  if (!entrypoint) return undefined; // the schema finding says how to write one
  const file = path.resolve(path.dirname(document.file), entrypoint.file);
  if (!fs.existsSync(file))
    return problem(
      at("entrypoint"),
      `No file '${entrypoint.file}' (paths are relative to ${path.basename(document.file)}'s folder)`,
      "invalid-entrypoint",
    );
  const flows = await exportedFlows(file);
  const flow = flows.find((candidate) => candidate.exportPath === entrypoint.exportPath);
  if (!flow)
    return problem(
      at("entrypoint"),
      `${entrypoint.file} has no exported flow '${entrypoint.exportPath}'. ${flows.length ? `Its flows: ${flows.map((f) => f.exportPath).join(", ")}` : "It exports no flows"}`,
      "invalid-entrypoint",
    );
  if (spec.enforceParameterSchema) parameterProblems(model, spec, flow.parameterSchema, problems);
  return {
    spec,
    input: {
      name: spec.name,
      flowName: flow.name,
      // As Prefect stores it: relative to the project (skein.yaml's folder), with that folder as the working_dir a
      // process worker starts the run in, unless the file names its own; a worker on another machine, where the
      // folder does not exist, resolves it from its own SKEIN_WORKER_CWD (worker/process-job.ts).
      entrypoint: `${path.relative(path.dirname(document.file), file).split(path.sep).join("/")}:${entrypoint.exportPath}`,
      description: spec.description ?? null,
      parameters: spec.parameters,
      parameterSchema: flow.parameterSchema,
      enforceParameterSchema: spec.enforceParameterSchema,
      schedules: spec.schedules.map(scheduleForStore),
      workPoolName: spec.workPool?.name ?? null,
      workQueueName: spec.workPool?.workQueueName ?? null,
      jobVariables: { working_dir: path.dirname(document.file), ...spec.workPool?.jobVariables },
      tags: spec.tags,
      concurrencyLimit: spec.concurrencyLimit?.limit ?? null,
      collisionStrategy: spec.concurrencyLimit?.collisionStrategy ?? "ENQUEUE",
      paused: spec.paused,
    },
  };
}

/**
 * The deployment's parameters against the flow's schema, as the server checks them when the schema is enforced:
 * required parameters are not demanded (a run may supply them), unknown names and wrong types are errors, each
 * at its value. `{{ }}` templates are left alone.
 */
function parameterProblems(model: SkeinYamlModel, spec: DeploymentSpec, schema: JsonSchema, problems: Finding[]): void {
  const { document } = model;
  const base = ["deployments", spec.index, "parameters"];
  const known = Object.keys((schema.properties as object | undefined) ?? {});
  const problem = (node: ReturnType<typeof document.nodeAt>, message: string) =>
    problems.push({
      range: document.rangeOfNode(node ?? document.nodeAt(base)),
      message,
      severity: "error",
      code: "invalid-parameter",
    });
  for (const name of Object.keys(spec.parameters).filter((name) => !known.includes(name)))
    problem(
      document.keyAt([...base, name]),
      `The flow has no parameter '${name}': its parameters are ${known.join(", ") || "none"}`,
    );
  const parameters = Object.fromEntries(
    Object.entries(spec.parameters).filter(([name, value]) => known.includes(name) && !isTemplate(value)),
  );
  const validate = parameterValidator({ ...schema, required: [] });
  if (validate(parameters)) return;
  for (const error of validate.errors ?? []) {
    const inner = error.instancePath.split("/").slice(1);
    problem(
      document.nodeAt([...base, ...inner]),
      `Parameter '${inner.join(".")}' ${error.message ?? "does not fit the flow's signature"}`,
    );
  }
}
