import fs from "node:fs";
import { analyseSource } from "../language-server/discovery.ts";
import { WorkspaceIndex } from "../language-server/workspaceIndex.ts";
import { SkeinYamlDocument } from "../language-server/yaml/skeinYamlDocument.ts";
import { schemaDiagnostics } from "../language-server/yaml/schemaValidation.ts";
import { parameterDiagnostics } from "../language-server/yaml/parameterChecks.ts";
import { scheduleDiagnostics } from "../language-server/yaml/scheduleChecks.ts";
import { resolveEntrypoint } from "../language-server/yaml/entrypoints.ts";
import { generateWorkspace } from "../test/fixtures/language-server/generateWorkspace.ts";
import { parseDocument } from "yaml";
const ws = generateWorkspace("/tmp/skein-probe-yaml", 200, 200, 200);
const text = fs.readFileSync(ws.yamlFile!, "utf8");
const index = new WorkspaceIndex();
for (const f of ws.flowFiles) index.set(analyseSource(f, fs.readFileSync(f, "utf8")));
const acc: Record<string, number> = {};
const time = (n: string, f: () => unknown) => { const t = performance.now(); const r = f(); acc[n] = (acc[n] ?? 0) + performance.now() - t; return r; };
for (let i = 0; i < 40; i++) {
  const t = text + "#".repeat(i % 2 + 1);
  time("rawParseDocument", () => parseDocument(t));
  const y = time("SkeinYamlDocument", () => new SkeinYamlDocument(ws.yamlFile!, t)) as SkeinYamlDocument;
  time("schema", () => schemaDiagnostics(y));
  const deps = time("deployments()", () => y.deployments()) as ReturnType<SkeinYamlDocument["deployments"]>;
  for (const d of deps) {
    const r = time("entrypoint", () => resolveEntrypoint(index, ws.yamlFile!, d.value.entrypoint as string)) as any;
    time("nodeAt entrypoint", () => y.rangeOfNode(y.nodeAt(["deployments", d.index, "entrypoint"])));
    if (r.status === "flow") time("params", () => parameterDiagnostics(y, d, r.flow));
    time("schedules", () => scheduleDiagnostics(y, d));
  }
}
for (const [k, v] of Object.entries(acc)) console.error(k, (v / 40).toFixed(2));
