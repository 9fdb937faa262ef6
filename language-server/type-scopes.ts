// The type declarations a parameter schema can follow: those of the flow's own file and, through relative
// imports (type-only ones included), those of other files, read from disk and cached by modification time.
import fs from "node:fs";
import { ts } from "ts-morph";
import { parseFresh } from "./incremental-parser.ts";
import type { ImportedBinding } from "./model.ts";
import { relativeModuleCandidates } from "./module-resolution.ts";

/** The type declarations of one file, by name, and where the names it imports come from. */
export interface TypeScope {
  file: string;
  sourceFile: ts.SourceFile;
  interfaces: Map<string, ts.InterfaceDeclaration[]>;
  aliases: Map<string, ts.TypeAliasDeclaration>;
  enums: Map<string, ts.EnumDeclaration>;
  classes: Set<string>;
  /** Every imported name (type-only imports included) → its module and exported name. */
  imports: Map<string, ImportedBinding>;
}

export function typeScopeOf(file: string, sourceFile: ts.SourceFile): TypeScope {
  const scope: TypeScope = {
    file,
    sourceFile,
    interfaces: new Map(),
    aliases: new Map(),
    enums: new Map(),
    classes: new Set(),
    imports: new Map(),
  };
  for (const statement of sourceFile.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      const list = scope.interfaces.get(statement.name.text) ?? [];
      list.push(statement);
      scope.interfaces.set(statement.name.text, list);
    } else if (ts.isTypeAliasDeclaration(statement)) scope.aliases.set(statement.name.text, statement);
    else if (ts.isEnumDeclaration(statement)) scope.enums.set(statement.name.text, statement);
    else if (ts.isClassDeclaration(statement) && statement.name) scope.classes.add(statement.name.text);
    else if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const module = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.name) scope.imports.set(clause.name.text, { module, importedName: "default" });
      const bindings = clause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      for (const element of bindings.elements) {
        scope.imports.set(element.name.text, { module, importedName: (element.propertyName ?? element.name).text });
      }
    }
  }
  return scope;
}

/** A type name imported into `scope` from a relative module: that file's scope and the name it exports. */
export function resolveImportedType(scope: TypeScope, name: string): { scope: TypeScope; name: string } | undefined {
  const binding = scope.imports.get(name);
  if (!binding) return undefined;
  for (const candidate of relativeModuleCandidates(scope.file, binding.module)) {
    const imported = scopeFromDisk(candidate);
    if (imported) return { scope: imported, name: binding.importedName };
  }
  return undefined;
}

const maxCachedFiles = 500;
/** Files larger than this are not read for types (a types module is small; a bundle is not one). */
const maxTypeFileBytes = 1024 * 1024;
const diskScopes = new Map<string, { mtimeMs: number; size: number; scope: TypeScope }>();

function scopeFromDisk(file: string): TypeScope | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile() || stat.size > maxTypeFileBytes) return undefined;
  const cached = diskScopes.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.scope;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const scope = typeScopeOf(file, parseFresh(file, text));
  if (diskScopes.size >= maxCachedFiles) diskScopes.clear();
  diskScopes.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, scope });
  return scope;
}
