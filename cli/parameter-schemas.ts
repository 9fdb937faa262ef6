// The JSON Schema of a flow's parameters, generated from its TypeScript signature by the same analysis the language
// server runs (language-server/discovery.ts), so `skein run` enforces what the editor showed. TypeScript's parser is
// heavy to load, so the schemas of a file are cached next to its bundle and made again only when the bundle is.
// `skein deploy` and `flow.deploy()` read a flow's name and schema the same way (exportedFlows).
import fs from "node:fs";
import type { JsonSchema } from "../engine/parameters.ts";

type SchemasByExport = Record<string, JsonSchema>;

/** The generated schema of the flow at `exportPath` in `file`, or undefined when the file declares no such flow. */
export async function generatedParameterSchema(
  file: string,
  exportPath: string,
  bundle: string,
): Promise<JsonSchema | undefined> {
  const cacheFile = `${bundle}.parameter-schemas.json`;
  let schemas = readFreshCache(cacheFile, bundle);
  if (!schemas) {
    schemas = await analyse(file);
    fs.writeFileSync(cacheFile, JSON.stringify(schemas));
  }
  return schemas[exportPath];
}

async function analyse(file: string): Promise<SchemasByExport> {
  const schemas: SchemasByExport = {};
  for (const flow of await exportedFlows(file)) schemas[flow.exportPath] = flow.parameterSchema;
  return schemas;
}

/** An exported flow of a file as the editor sees it: run-time name, export path and parameter schema. */
export interface ExportedFlow {
  name: string;
  exportPath: string;
  parameterSchema: JsonSchema;
}

/** The exported flows of a TypeScript file (`skein deploy` registers one of them), by the editor's analysis. */
export async function exportedFlows(file: string): Promise<ExportedFlow[]> {
  const { analyseSource } = await import("../language-server/discovery.ts");
  return analyseSource(file, fs.readFileSync(file, "utf8")).declarations.flatMap((declaration) => {
    if (declaration.kind !== "flow" || !declaration.exportPath) return [];
    // `unsupported` lists parameters with no JSON form: left out of the schema, so they are not checked.
    const { unsupported: _unsupported, ...parameterSchema } = declaration.parameterSchema;
    return [{ name: declaration.name, exportPath: declaration.exportPath, parameterSchema }];
  });
}

function readFreshCache(cacheFile: string, bundle: string): SchemasByExport | undefined {
  try {
    if (fs.statSync(cacheFile).mtimeMs < fs.statSync(bundle).mtimeMs) return undefined;
    return JSON.parse(fs.readFileSync(cacheFile, "utf8")) as SchemasByExport;
  } catch {
    return undefined;
  }
}

/** The JSON Schema `type` a schema gives a parameter, when it names exactly one. */
export function declaredType(schema: JsonSchema | undefined, parameter: string): string | undefined {
  const property = (schema?.properties as Record<string, { type?: unknown }> | undefined)?.[parameter];
  return typeof property?.type === "string" ? property.type : undefined;
}
