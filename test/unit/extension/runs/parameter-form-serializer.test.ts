// Parameter forms restored after a window reload, with `vscode` faked: the serializer takes the page's saved state
// (the form's origin and values), builds the form again in the restored panel, checks what the page submits as
// the original form did, and hands the parameters to the resumer of the origin's kind (run, debug, deployment);
// foreign or tampered state, a refused origin and a schema the validator rejects close the panel instead. The flow
// resumer runs only a file that still exists inside a workspace folder.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as vscodeApi from "vscode";
import { flowFormResumer } from "../../../../extension/runs/flow-commands.ts";
import {
  type ParameterFormResumer,
  ParameterFormSerializer,
} from "../../../../extension/runs/parameter-form-serializer.ts";
import type { RunCommandDeps } from "../../../../extension/runs/run-commands.ts";
import { analyseSource } from "../../../../language-server/discovery.ts";
import type { ParameterField } from "../../../../protocol/webview/parameter-fields.ts";
import {
  PARAMETER_FORM_VIEW_TYPE,
  type ParameterFormOrigin,
  type ParameterFormState,
} from "../../../../protocol/webview/parameter-form.ts";
import { FakeWebviewPanel, fakeVscode } from "../../../fixtures/extension/fake-vscode.ts";

const [flow] = analyseSource(
  "/ws/flows.ts",
  `import { flow } from "skein";
export const etl = flow(async (date: string, limit = 10, dry?: boolean) => 1);`,
).declarations;
const origin: ParameterFormOrigin = {
  action: { kind: "run", file: "/ws/flows.ts", exportPath: "etl" },
  title: "etl",
  parameterSchema: flow.parameterSchema,
};

interface FormMessage {
  type: "form";
  title: string;
  fields: ParameterField[];
  values: Record<string, unknown>;
  origin: ParameterFormOrigin;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), `timed out waiting until ${what}`);
}

function setup(resumers: Array<[ParameterFormOrigin["action"]["kind"][], ParameterFormResumer]>) {
  const fake = fakeVscode();
  const serializer = new ParameterFormSerializer(fake.api, { path: "/ext" } as unknown as vscodeApi.Uri);
  for (const [kinds, resumer] of resumers) serializer.resume(kinds, resumer);
  serializer.register();
  const registered = fake.serializers.get(PARAMETER_FORM_VIEW_TYPE);
  assert.ok(registered, "a serializer for skein.parameterForm");
  const restore = async (state: unknown) => {
    const panel = new FakeWebviewPanel(PARAMETER_FORM_VIEW_TYPE);
    await registered.deserializeWebviewPanel(panel as unknown as vscodeApi.WebviewPanel, state);
    return panel;
  };
  return { fake, restore };
}

test("a restored form comes back in its panel, and Submit does what its command did", async () => {
  const submitted: Array<{ origin: ParameterFormOrigin; parameters: Record<string, unknown> }> = [];
  const { restore } = setup([
    [["run", "debug"], { submit: async (o, parameters) => submitted.push({ origin: o, parameters }) }],
  ]);
  const state: ParameterFormState = { origin, values: { date: "2026-12-01", limit: "25", dry: true } };
  const panel = await restore(state);
  await until(() => panel.webview.html !== "", "the page is set");
  assert.match(panel.webview.html, /parameter-form\.js/);
  assert.match(panel.webview.html, /Content-Security-Policy/);
  assert.equal((panel.webview.options as { enableScripts?: boolean }).enableScripts, true);
  assert.equal(panel.title, "Parameters: etl");

  // The page starts and says ready: the form is built again from the origin; the page puts back its values.
  panel.fromPage({ type: "ready" });
  const [form] = panel.messages<FormMessage>("form");
  assert.equal(form.title, "etl");
  assert.deepEqual(form.origin, origin, "the origin goes back to the page, which keeps it for the next reload");
  assert.deepEqual(
    form.fields.map((field) => field.name),
    ["date", "limit", "dry"],
  );

  // What the page submits is checked again, as by the form the command opened.
  panel.fromPage({ type: "submit", values: { date: "2026-12-01", limit: "many", dry: true } });
  await until(() => panel.messages("errors").length === 1, "errors are posted");
  assert.deepEqual(panel.messages<{ type: "errors"; errors: object }>("errors")[0].errors, {
    limit: "Not a number.",
  });
  assert.equal(submitted.length, 0);

  panel.fromPage({ type: "submit", values: state.values });
  await until(() => submitted.length === 1, "the resumer gets the parameters");
  assert.deepEqual(submitted[0], { origin, parameters: { date: "2026-12-01", limit: 25, dry: true } });
  assert.equal(panel.disposed, true, "the form closes once submitted");
});

test("foreign or tampered state, a kind nobody resumes and a refused origin close the panel", async () => {
  const submit = async () => assert.fail("nothing is submitted");
  const { fake, restore } = setup([[["run"], { refuse: () => "/ws/flows.ts is gone.", submit }]]);
  for (const state of [
    undefined,
    { date: "2026-12-01" },
    { origin: { ...origin, action: { kind: "run", file: 7, exportPath: "etl" } }, values: {} },
    { origin: { ...origin, action: { kind: "deployment", deploymentId: "d-1" } }, values: {} },
  ]) {
    const panel = await restore(state);
    assert.equal(panel.disposed, true, JSON.stringify(state));
    assert.equal(panel.webview.html, "");
  }
  assert.deepEqual(fake.messages, [], "nothing to say about state that was never a form's");
  const refused = await restore({ origin, values: {} });
  assert.equal(refused.disposed, true);
  assert.deepEqual(fake.messages, ["Skein could not restore a parameter form: /ws/flows.ts is gone."]);
});

test("a schema the validator refuses closes the restored panel with the reason", async () => {
  const { fake, restore } = setup([[["run"], { submit: async () => assert.fail("nothing is submitted") }]]);
  const broken = { ...origin, parameterSchema: { type: "object" as const, properties: { a: { type: "nonsense" } } } };
  const panel = await restore({ origin: broken, values: {} });
  await until(() => panel.disposed, "the panel closes");
  assert.equal(fake.messages.length, 1);
  assert.match(fake.messages[0], /^Skein: .*type/);
});

test("a restored flow form runs only a file that still exists inside a workspace folder", () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "skein-form-"));
  try {
    const file = path.join(workspace, "flows.ts");
    fs.writeFileSync(file, "export {};\n");
    const { api } = fakeVscode({ workspaceFolders: [workspace] });
    const resumer = flowFormResumer({ vscode: api } as RunCommandDeps);
    const at = (kind: "run" | "debug", where: string): ParameterFormOrigin => ({
      ...origin,
      action: { kind, file: where, exportPath: "etl" },
    });
    assert.equal(resumer.refuse?.(at("run", file)), undefined);
    assert.equal(resumer.refuse?.(at("debug", file)), undefined);
    for (const where of [path.join(workspace, "gone.ts"), "flows.ts", path.join(os.tmpdir(), "elsewhere.ts")])
      assert.match(resumer.refuse?.(at("run", where)) ?? "", /is no longer a file of this workspace/, where);
    const deployment = { ...origin, action: { kind: "deployment" as const, deploymentId: "d-1" } };
    assert.ok(resumer.refuse?.(deployment), "not a flow's form");
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
