import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { withDeployment } from "../../../extension/deploy-scaffold.ts";
import type { FlowLensArgs } from "../../../protocol/lsp.ts";

const args: FlowLensArgs = {
  file: "/ws/flows/etl.ts",
  exportPath: "Pipelines.nightly",
  flowName: "nightly",
  parameterSchema: { type: "object", properties: {} },
  entrypoint: "flows/etl.ts:Pipelines.nightly",
};

test("a deployment with a workspace-relative entrypoint is appended, comments kept", () => {
  const { text, name, added } = withDeployment("# my project\nname: ws\n", args);
  assert.equal(name, "nightly");
  assert.equal(added, true);
  assert.match(text, /^# my project/);
  assert.deepEqual(parse(text).deployments, [
    { name: "nightly", entrypoint: "flows/etl.ts:Pipelines.nightly", parameters: {}, work_pool: { name: "default" } },
  ]);
});

test("deploying the same flow again keeps its entry; another flow of that name gets a free name", () => {
  const once = withDeployment("name: ws\n", args).text;
  assert.deepEqual(withDeployment(once, args), { text: once, name: "nightly", added: false });
  const other = withDeployment(once, { ...args, entrypoint: "flows/other.ts:nightly" });
  assert.equal(other.name, "nightly-2");
  assert.deepEqual(
    parse(other.text).deployments.map((d: { name: string }) => d.name),
    ["nightly", "nightly-2"],
  );
});

test("a skein.yaml that is not a mapping is refused rather than overwritten", () => {
  assert.throws(() => withDeployment("- just\n- a list\n", args), /must be a mapping/);
});
