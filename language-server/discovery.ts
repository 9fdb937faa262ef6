// Finds the flows and tasks one TypeScript file declares, from syntax alone (no type checker, no other files):
// `flow(...)`/`task(...)` calls imported from "skein" (also renamed or through a namespace import) and
// `@flow`/`@task` decorators on class methods. Files that never mention "skein" are not parsed at all.
import { ts } from "ts-morph";
import type { CallReference, Declaration, FileAnalysis, LocalDiagnostic, OptionValue } from "./model.ts";
import { emptyAnalysis } from "./model.ts";
import { parseFresh, type Parse } from "./incremental-parser.ts";
import { checkOptions } from "./option-diagnostics.ts";
import { buildParameterSchema, literalValue, propertyName } from "./parameter-schema.ts";
import { nodeRange } from "./source-ranges.ts";
import { typeScopeOf, type TypeScope } from "./type-scopes.ts";

export const skeinModule = "skein";

/** The cheap test run before any parse: a file that never says "skein" cannot import it. */
export const mayDeclareFlows = (text: string): boolean => text.includes(skeinModule);

type SkeinExport = "flow" | "task" | "submit" | "map";
const skeinExports = new Set<string>(["flow", "task", "submit", "map"]);

/** How this file reaches the skein module's exports. */
interface SkeinBindings {
  named: Map<string, SkeinExport>;
  namespaces: Set<string>;
}

type FunctionLike = ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration | ts.MethodDeclaration;

/** Longer files are not analysed: parsing them would hold the server up for too long. */
export const maxAnalysedLength = 2 * 1024 * 1024;

export function analyseSource(file: string, text: string, parse: Parse = parseFresh): FileAnalysis {
  if (!mayDeclareFlows(text)) return emptyAnalysis(file);
  if (text.length > maxAnalysedLength) {
    const analysis = emptyAnalysis(file);
    analysis.diagnostics.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `This file is over ${maxAnalysedLength / 1024 / 1024} MB, so Skein does not look for flows in it; move flows to a smaller file`,
      severity: "information",
      code: "file-too-large",
    });
    return analysis;
  }
  return new FileAnalyser(file, parse(file, text)).run();
}

class FileAnalyser {
  private readonly skein: SkeinBindings = { named: new Map(), namespaces: new Set() };
  /** Local name → exported name, from `export { a as b }` lists. */
  private readonly exportLists = new Map<string, string>();
  private readonly declarations: Declaration[] = [];
  private readonly diagnostics: LocalDiagnostic[] = [];
  private readonly topLevelCalls: CallReference[] = [];
  private readonly functionDeclarations = new Map<string, ts.FunctionDeclaration>();
  private readonly typeScope: TypeScope;
  private readonly typeDependencies = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly sourceFile: ts.SourceFile,
  ) {
    this.typeScope = typeScopeOf(file, sourceFile);
  }

  run(): FileAnalysis {
    for (const statement of this.sourceFile.statements) this.collectBindings(statement);
    if (this.skein.named.size || this.skein.namespaces.size) {
      for (const statement of this.sourceFile.statements) this.collectDeclarations(statement);
      this.collectTopLevelCalls(this.sourceFile);
    }
    return {
      file: this.file,
      declarations: this.declarations,
      imports: this.typeScope.imports,
      topLevelCalls: this.topLevelCalls,
      diagnostics: this.diagnostics,
      typeDependencies: [...this.typeDependencies],
    };
  }

  private collectBindings(statement: ts.Statement): void {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) return;
      if (statement.moduleSpecifier.text === skeinModule) {
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) this.skein.namespaces.add(bindings.name.text);
        if (bindings && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) {
            const imported = (element.propertyName ?? element.name).text;
            if (skeinExports.has(imported) && !element.isTypeOnly)
              this.skein.named.set(element.name.text, imported as SkeinExport);
          }
        }
      }
    } else if (
      ts.isExportDeclaration(statement) &&
      !statement.moduleSpecifier &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements) {
        this.exportLists.set((element.propertyName ?? element.name).text, element.name.text);
      }
    } else if (ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression)) {
      this.exportLists.set(statement.expression.text, "default");
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      this.functionDeclarations.set(statement.name.text, statement);
    }
  }

  /** Which skein export an expression names (`flow`, `f` for a renamed import, `sk.flow`), if any. */
  private skeinExportOf(expression: ts.Expression): SkeinExport | undefined {
    if (ts.isIdentifier(expression)) return this.skein.named.get(expression.text);
    if (
      ts.isPropertyAccessExpression(expression) &&
      ts.isIdentifier(expression.expression) &&
      this.skein.namespaces.has(expression.expression.text) &&
      skeinExports.has(expression.name.text)
    ) {
      return expression.name.text as SkeinExport;
    }
    return undefined;
  }

  private declaringKind(expression: ts.Expression): "flow" | "task" | undefined {
    const exported = this.skeinExportOf(expression);
    return exported === "flow" || exported === "task" ? exported : undefined;
  }

  private isExported(node: ts.Node): boolean {
    return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  }

  private isDefaultExport(node: ts.Node): boolean {
    return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  }

  private collectDeclarations(statement: ts.Statement): void {
    if (ts.isVariableStatement(statement)) {
      const exported = this.isExported(statement);
      for (const variable of statement.declarationList.declarations) {
        if (!ts.isIdentifier(variable.name) || !variable.initializer) continue;
        const call = unwrap(variable.initializer);
        if (!ts.isCallExpression(call)) continue;
        const kind = this.declaringKind(call.expression);
        if (!kind) continue;
        const localName = variable.name.text;
        const exportPath = exported ? localName : this.exportLists.get(localName);
        this.addCallDeclaration(kind, call, localName, exportPath, variable.name);
      }
    } else if (ts.isExportAssignment(statement)) {
      const call = unwrap(statement.expression);
      const kind = ts.isCallExpression(call) ? this.declaringKind(call.expression) : undefined;
      if (kind) this.addCallDeclaration(kind, call as ts.CallExpression, "default", "default", statement);
    } else if (ts.isClassDeclaration(statement)) {
      this.collectDecoratedMethods(statement);
    }
  }

  private addCallDeclaration(
    kind: "flow" | "task",
    call: ts.CallExpression,
    localName: string,
    exportPath: string | undefined,
    nameNode: ts.Node,
  ): void {
    const [first, second] = call.arguments;
    const options = second && ts.isObjectLiteralExpression(first) ? first : undefined;
    let fn: ts.Node | undefined = second ? second : first && !ts.isObjectLiteralExpression(first) ? first : undefined;
    if (fn && ts.isIdentifier(fn)) fn = this.functionDeclarations.get(fn.text) ?? fn;
    if (!fn || !isFunctionLike(fn)) {
      this.diagnostics.push({
        range: nodeRange(this.sourceFile, call),
        message: `${kind}(...) needs the function to run as its last argument, e.g. ${kind}({ name: "${localName}" }, async () => { ... })`,
        severity: "error",
        code: "missing-function",
      });
      return;
    }
    const fnName = !ts.isArrowFunction(fn) && fn.name && ts.isIdentifier(fn.name) ? fn.name.text : undefined;
    // As the engine names them: the function's own name, else the export's key (it names anonymous exports).
    this.addDeclaration(
      kind,
      fn,
      options,
      fnName ?? exportPath ?? localName,
      localName,
      exportPath,
      nameNode,
      undefined,
    );
  }

  private collectDecoratedMethods(declaration: ts.ClassDeclaration): void {
    const className = declaration.name?.text ?? "default";
    const classExported = this.isExported(declaration) || this.exportLists.has(className);
    const classExportName = this.isDefaultExport(declaration)
      ? "default"
      : (this.exportLists.get(className) ?? className);
    for (const member of declaration.members) {
      if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
      for (const decorator of ts.getDecorators(member) ?? []) {
        const expression = decorator.expression;
        const callee = ts.isCallExpression(expression) ? expression.expression : expression;
        const kind = this.declaringKind(callee);
        if (!kind) continue;
        const firstArgument = ts.isCallExpression(expression) ? expression.arguments[0] : undefined;
        const options = firstArgument && ts.isObjectLiteralExpression(firstArgument) ? firstArgument : undefined;
        const method = member.name.text;
        const exportPath = classExported ? `${classExportName}.${method}` : undefined;
        this.addDeclaration(
          kind,
          member,
          options,
          method,
          `${className}.${method}`,
          exportPath,
          member.name,
          className,
        );
      }
    }
  }

  private addDeclaration(
    kind: "flow" | "task",
    fn: FunctionLike,
    options: ts.ObjectLiteralExpression | undefined,
    defaultName: string,
    localName: string,
    exportPath: string | undefined,
    nameNode: ts.Node,
    className: string | undefined,
  ): void {
    const optionValues = options ? this.readOptions(options) : {};
    const nameOption = optionValues.name;
    const { schema, notSerializable, typeDependencies } = buildParameterSchema(fn.parameters, this.typeScope);
    for (const dependency of typeDependencies) this.typeDependencies.add(dependency);
    const parameterNames = fn.parameters
      .filter((p) => ts.isIdentifier(p.name))
      .map((p) => (p.name as ts.Identifier).text);
    const declaration: Declaration = {
      kind,
      name: typeof nameOption?.value === "string" ? nameOption.value : defaultName,
      localName,
      exportPath,
      options: optionValues,
      parameters: fn.parameters.map((parameter) => ({
        name: parameter.name.getText(this.sourceFile),
        typeText: parameter.type?.getText(this.sourceFile),
        optional: !!parameter.questionToken || !!parameter.initializer,
        defaultText: parameter.initializer?.getText(this.sourceFile),
        range: nodeRange(this.sourceFile, parameter),
        notSerializable: ts.isIdentifier(parameter.name) ? notSerializable.get(parameter.name.text) : undefined,
      })),
      parameterSchema: schema,
      returnType: fn.type?.getText(this.sourceFile),
      nameRange: nodeRange(this.sourceFile, nameNode),
      flowNameRange: nameOption?.range ?? nodeRange(this.sourceFile, nameNode),
      calls: fn.body ? this.collectCalls(fn.body, className) : [],
    };
    this.declarations.push(declaration);
    if (options) this.diagnostics.push(...checkOptions(this.sourceFile, kind, options, parameterNames));
    if (kind === "flow" && !exportPath) {
      this.diagnostics.push({
        range: declaration.nameRange,
        message: `Flow '${declaration.name}' is not exported, so Skein cannot run or deploy it; add \`export\` to its declaration`,
        severity: "information",
        code: "flow-not-exported",
      });
    }
  }

  private readOptions(options: ts.ObjectLiteralExpression): Record<string, OptionValue> {
    const values: Record<string, OptionValue> = {};
    for (const property of options.properties) {
      if (ts.isPropertyAssignment(property)) {
        const name = propertyName(property.name);
        if (name) {
          values[name] = {
            value: literalValue(property.initializer),
            text: property.initializer.getText(this.sourceFile),
            range: nodeRange(this.sourceFile, property.initializer),
          };
        }
      } else if (ts.isShorthandPropertyAssignment(property) || ts.isMethodDeclaration(property)) {
        const name = propertyName(property.name);
        if (name)
          values[name] = { text: property.getText(this.sourceFile), range: nodeRange(this.sourceFile, property) };
      }
    }
    return values;
  }

  /** Every call in a function body that may run a task: `t(...)`, `t.submit(...)`, `t.map(...)`, `submit(t, ...)`. */
  private collectCalls(body: ts.Node, className: string | undefined): CallReference[] {
    const calls: CallReference[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const reference = this.calledReference(node, className);
        if (reference) calls.push(reference);
      }
      ts.forEachChild(node, visit);
    };
    visit(body);
    return calls;
  }

  private calledReference(call: ts.CallExpression, className: string | undefined): CallReference | undefined {
    const callee = call.expression;
    const skeinExport = this.skeinExportOf(callee);
    if (skeinExport === "submit" || skeinExport === "map") {
      const target = call.arguments[0];
      const name = target && referenceName(target, className);
      return name ? { localName: name, range: nodeRange(this.sourceFile, target) } : undefined;
    }
    if (skeinExport) return undefined;
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === "submit" || callee.name.text === "map")) {
      const name = referenceName(callee.expression, className);
      if (name) return { localName: name, range: nodeRange(this.sourceFile, callee.expression) };
    }
    const name = referenceName(callee, className);
    return name ? { localName: name, range: nodeRange(this.sourceFile, callee) } : undefined;
  }

  /** Calls that run when the module is imported, outside every function: a task called there has no flow. */
  private collectTopLevelCalls(node: ts.Node): void {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isCallExpression(node)) {
      const reference = this.calledReference(node, undefined);
      if (reference) this.topLevelCalls.push(reference);
    }
    ts.forEachChild(node, (child) => this.collectTopLevelCalls(child));
  }
}

/** `extract` → "extract", `Pipelines.load` → "Pipelines.load", `this.load` inside class C → "C.load". */
function referenceName(expression: ts.Expression, className: string | undefined): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.name)) {
    if (ts.isIdentifier(expression.expression)) return `${expression.expression.text}.${expression.name.text}`;
    if (expression.expression.kind === ts.SyntaxKind.ThisKeyword && className)
      return `${className}.${expression.name.text}`;
  }
  return undefined;
}

function unwrap(expression: ts.Expression): ts.Expression {
  while (
    ts.isParenthesizedExpression(expression) ||
    ts.isAsExpression(expression) ||
    ts.isSatisfiesExpression(expression)
  ) {
    expression = expression.expression;
  }
  return expression;
}

function isFunctionLike(node: ts.Node): node is FunctionLike {
  return (
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node)
  );
}
