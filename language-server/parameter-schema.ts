// JSON Schema for a flow's parameters, generated from the TypeScript syntax of its signature. Interfaces, type
// aliases and enums are followed, in the same file or imported from relative modules; what has no JSON form is
// reported with a reason.
import { ts } from "ts-morph";
import type { ParameterSchema } from "../protocol/lsp.ts";
import { resolveImportedType, type TypeScope } from "./type-scopes.ts";

type Conversion =
  | { schema: Record<string, unknown>; optional?: boolean }
  | { unsupported: string; notSerializable?: boolean };

export interface ParameterSchemaResult {
  schema: ParameterSchema;
  /** Parameter name → why it cannot cross a process boundary. */
  notSerializable: Map<string, string>;
  /** Other files whose type declarations the schema was built from. */
  typeDependencies: Set<string>;
}

// Built-in classes whose instances lose their identity (or everything) when sent as JSON to another process.
const nonSerializableBuiltins = new Set([
  "Map",
  "Set",
  "WeakMap",
  "WeakSet",
  "Promise",
  "RegExp",
  "Function",
  "Error",
  "Buffer",
  "URL",
  "AbortSignal",
  "ReadableStream",
  "WritableStream",
  "Uint8Array",
  "ArrayBuffer",
  "Symbol",
]);

export function buildParameterSchema(
  parameters: readonly ts.ParameterDeclaration[],
  scope: TypeScope,
): ParameterSchemaResult {
  const schema: ParameterSchema = { type: "object", properties: {} };
  const required: string[] = [];
  const unsupported: { name: string; reason: string }[] = [];
  const notSerializable = new Map<string, string>();
  const converter = new TypeConverter(scope);

  for (const parameter of parameters) {
    if (!ts.isIdentifier(parameter.name)) {
      unsupported.push({
        name: parameter.name.getText(scope.sourceFile),
        reason: "a destructured parameter has no name to pass it by; take one named object parameter instead",
      });
      continue;
    }
    const name = parameter.name.text;
    if (parameter.dotDotDotToken) {
      unsupported.push({ name, reason: "rest parameters cannot be passed by name; take an array parameter instead" });
      continue;
    }
    const conversion = parameter.type ? converter.convert(parameter.type) : inferFromDefault(parameter.initializer);
    if ("unsupported" in conversion) {
      unsupported.push({ name, reason: conversion.unsupported });
      if (conversion.notSerializable) notSerializable.set(name, conversion.unsupported);
      continue;
    }
    const property = { ...conversion.schema };
    const defaultValue = parameter.initializer ? literalValue(parameter.initializer) : undefined;
    if (defaultValue !== undefined) property.default = defaultValue;
    schema.properties[name] = property;
    if (!parameter.questionToken && !parameter.initializer && !conversion.optional) required.push(name);
  }
  if (required.length) schema.required = required;
  if (unsupported.length) schema.unsupported = unsupported;
  return { schema, notSerializable, typeDependencies: converter.dependencies };
}

/** The JSON value of a literal expression, or undefined when it is not a plain literal. */
export function literalValue(expression: ts.Expression): unknown {
  if (ts.isStringLiteralLike(expression)) return expression.text;
  if (ts.isNumericLiteral(expression)) return Number(expression.text);
  if (ts.isPrefixUnaryExpression(expression) && ts.isNumericLiteral(expression.operand)) {
    const value = Number(expression.operand.text);
    if (expression.operator === ts.SyntaxKind.MinusToken) return -value;
    if (expression.operator === ts.SyntaxKind.PlusToken) return value;
    return undefined;
  }
  if (expression.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (expression.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (expression.kind === ts.SyntaxKind.NullKeyword) return null;
  if (
    ts.isParenthesizedExpression(expression) ||
    ts.isAsExpression(expression) ||
    ts.isSatisfiesExpression(expression)
  ) {
    return literalValue(expression.expression);
  }
  if (ts.isArrayLiteralExpression(expression)) {
    const items = expression.elements.map((element) => literalValue(element));
    return items.every((item) => item !== undefined) ? items : undefined;
  }
  if (ts.isObjectLiteralExpression(expression)) {
    const result: Record<string, unknown> = {};
    for (const property of expression.properties) {
      if (!ts.isPropertyAssignment(property) || !propertyName(property.name)) return undefined;
      const value = literalValue(property.initializer);
      if (value === undefined) return undefined;
      result[propertyName(property.name)!] = value;
    }
    return result;
  }
  return undefined;
}

export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

function inferFromDefault(initializer: ts.Expression | undefined): Conversion {
  const value = initializer ? literalValue(initializer) : undefined;
  if (typeof value === "string") return { schema: { type: "string" } };
  if (typeof value === "number") return { schema: { type: "number" } };
  if (typeof value === "boolean") return { schema: { type: "boolean" } };
  return { schema: {} };
}

class TypeConverter {
  /** `file:name` of the types being expanded, to stop at recursive types. */
  private readonly expanding = new Set<string>();
  readonly dependencies = new Set<string>();

  /** The file whose declarations names are looked up in; it changes while an imported type is expanded. */
  constructor(private scope: TypeScope) {}

  private get sourceFile(): ts.SourceFile {
    return this.scope.sourceFile;
  }

  convert(node: ts.TypeNode): Conversion {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { schema: { type: "string" } };
      case ts.SyntaxKind.NumberKeyword:
        return { schema: { type: "number" } };
      case ts.SyntaxKind.BooleanKeyword:
        return { schema: { type: "boolean" } };
      case ts.SyntaxKind.NullKeyword:
        return { schema: { type: "null" } };
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
        return { schema: {} };
      case ts.SyntaxKind.ObjectKeyword:
        return { schema: { type: "object" } };
      case ts.SyntaxKind.UndefinedKeyword:
        return { schema: {}, optional: true };
      case ts.SyntaxKind.BigIntKeyword:
        return { unsupported: "bigint has no JSON form; take a string or a number" };
      case ts.SyntaxKind.SymbolKeyword:
        return { unsupported: "a symbol cannot be sent to another process", notSerializable: true };
      case ts.SyntaxKind.VoidKeyword:
      case ts.SyntaxKind.NeverKeyword:
        return { unsupported: `${node.getText(this.sourceFile)} cannot be given as a parameter` };
    }
    if (ts.isParenthesizedTypeNode(node)) return this.convert(node.type);
    if (ts.isLiteralTypeNode(node)) return this.literal(node);
    if (ts.isUnionTypeNode(node)) return this.union(node);
    if (ts.isIntersectionTypeNode(node)) return this.all(node.types, (schemas) => ({ allOf: schemas }));
    if (ts.isArrayTypeNode(node)) return this.array(node.elementType);
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) return this.convert(node.type);
    if (ts.isTupleTypeNode(node)) return this.tuple(node);
    if (ts.isTypeLiteralNode(node)) return this.members(node.members);
    if (ts.isTypeReferenceNode(node)) return this.reference(node);
    if (ts.isFunctionTypeNode(node) || ts.isConstructorTypeNode(node)) {
      return { unsupported: "a function cannot be sent to another process", notSerializable: true };
    }
    return {
      unsupported: `the type \`${node.getText(this.sourceFile)}\` has no JSON Schema form; use a plain type (string, number, object, array...)`,
    };
  }

  private literal(node: ts.LiteralTypeNode): Conversion {
    const literal = node.literal;
    if (literal.kind === ts.SyntaxKind.NullKeyword) return { schema: { type: "null" } };
    const value = literalValue(literal as ts.Expression);
    if (value === undefined)
      return { unsupported: `the literal type \`${node.getText(this.sourceFile)}\` has no JSON form` };
    return { schema: { const: value } };
  }

  private union(node: ts.UnionTypeNode): Conversion {
    const members = node.types.filter((member) => member.kind !== ts.SyntaxKind.UndefinedKeyword);
    const optional = members.length < node.types.length;
    const conversions = members.map((member) => this.convert(member));
    const failed = conversions.find((conversion) => "unsupported" in conversion);
    if (failed) return failed;
    const schemas = conversions.map((conversion) => (conversion as { schema: Record<string, unknown> }).schema);
    if (schemas.length === 1) return { schema: schemas[0], optional };
    if (schemas.every((schema) => "const" in schema))
      return { schema: { enum: schemas.map((schema) => schema.const) }, optional };
    // `true | false` arrives as two consts of the same type; keep other unions as anyOf.
    return { schema: { anyOf: schemas }, optional };
  }

  private all(
    nodes: readonly ts.TypeNode[],
    combine: (schemas: Record<string, unknown>[]) => Record<string, unknown>,
  ): Conversion {
    const schemas: Record<string, unknown>[] = [];
    for (const node of nodes) {
      const conversion = this.convert(node);
      if ("unsupported" in conversion) return conversion;
      schemas.push(conversion.schema);
    }
    return { schema: combine(schemas) };
  }

  private array(element: ts.TypeNode): Conversion {
    const items = this.convert(element);
    return "unsupported" in items ? items : { schema: { type: "array", items: items.schema } };
  }

  private tuple(node: ts.TupleTypeNode): Conversion {
    const prefixItems: Record<string, unknown>[] = [];
    let minItems = 0;
    let rest: Record<string, unknown> | false = false;
    for (const element of node.elements) {
      const member = ts.isNamedTupleMember(element) ? element : undefined;
      const type = member ? member.type : element;
      const isOptional = !!member?.questionToken || ts.isOptionalTypeNode(type);
      const isRest = !!member?.dotDotDotToken || ts.isRestTypeNode(type);
      const inner = ts.isOptionalTypeNode(type) || ts.isRestTypeNode(type) ? type.type : type;
      const conversion = this.convert(inner);
      if ("unsupported" in conversion) return conversion;
      if (isRest) {
        rest = (conversion.schema.items as Record<string, unknown> | undefined) ?? {};
        continue;
      }
      prefixItems.push(conversion.schema);
      if (!isOptional) minItems = prefixItems.length;
    }
    const schema: Record<string, unknown> = { type: "array", prefixItems, minItems, items: rest };
    if (rest === false) schema.maxItems = prefixItems.length;
    return { schema };
  }

  private members(members: readonly ts.TypeElement[], extra: Record<string, unknown>[] = []): Conversion {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    let additionalProperties: Record<string, unknown> | undefined;
    for (const member of members) {
      if (ts.isPropertySignature(member) && member.type) {
        const name = propertyName(member.name);
        if (!name)
          return { unsupported: `the computed property \`${member.name.getText(this.sourceFile)}\` has no JSON form` };
        const conversion = this.convert(member.type);
        if ("unsupported" in conversion)
          return { ...conversion, unsupported: `property \`${name}\`: ${conversion.unsupported}` };
        properties[name] = conversion.schema;
        if (!member.questionToken && !conversion.optional) required.push(name);
      } else if (ts.isIndexSignatureDeclaration(member) && member.type) {
        const conversion = this.convert(member.type);
        if ("unsupported" in conversion) return conversion;
        additionalProperties = conversion.schema;
      } else if (ts.isMethodSignature(member) || ts.isPropertySignature(member)) {
        return {
          unsupported: `the method \`${member.name.getText(this.sourceFile)}\` cannot be sent to another process`,
          notSerializable: true,
        };
      }
    }
    const schema: Record<string, unknown> = { type: "object", properties };
    if (required.length) schema.required = required;
    if (additionalProperties) schema.additionalProperties = additionalProperties;
    return { schema: extra.length ? { allOf: [...extra, schema] } : schema };
  }

  private reference(node: ts.TypeReferenceNode): Conversion {
    return this.named(node.typeName.getText(this.sourceFile), node.typeArguments ?? []);
  }

  private named(name: string, typeArguments: readonly ts.TypeNode[]): Conversion {
    if (name === "Date") return { schema: { type: "string", format: "date-time" } };
    if ((name === "Array" || name === "ReadonlyArray") && typeArguments.length === 1)
      return this.array(typeArguments[0]);
    if (name === "Record" && typeArguments.length === 2) {
      const values = this.convert(typeArguments[1]);
      return "unsupported" in values ? values : { schema: { type: "object", additionalProperties: values.schema } };
    }
    if (nonSerializableBuiltins.has(name)) {
      return {
        unsupported: `a ${name} instance cannot be sent to another process as JSON; pass plain data instead`,
        notSerializable: true,
      };
    }
    const scope = this.scope;
    if (scope.classes.has(name)) {
      return {
        unsupported: `an instance of class ${name} loses its methods when sent to another process; pass plain data instead`,
        notSerializable: true,
      };
    }
    const key = `${scope.file}:${name}`;
    if (this.expanding.has(key)) return { unsupported: `the recursive type ${name} has no finite JSON Schema here` };
    const enumDeclaration = scope.enums.get(name);
    if (enumDeclaration) return this.enumeration(enumDeclaration);
    const alias = scope.aliases.get(name);
    const interfaces = scope.interfaces.get(name);
    if ((alias?.typeParameters?.length || interfaces?.some((i) => i.typeParameters?.length)) ?? false) {
      return { unsupported: `the generic type ${name} is not expanded; give the parameter a concrete type` };
    }
    this.expanding.add(key);
    try {
      if (alias) return this.convert(alias.type);
      if (interfaces) return this.interfaceSchema(interfaces);
      return this.imported(name, typeArguments);
    } finally {
      this.expanding.delete(key);
    }
  }

  /** A type imported from a relative module, expanded in that module's scope. */
  private imported(name: string, typeArguments: readonly ts.TypeNode[]): Conversion {
    const target = resolveImportedType(this.scope, name);
    if (!target) {
      return {
        unsupported: `the type ${name} is neither declared in this file nor imported from a relative module, so its JSON Schema is unknown; use a type declared in the project`,
      };
    }
    const outer = this.scope;
    this.scope = target.scope;
    this.dependencies.add(target.scope.file);
    try {
      return this.named(target.name, typeArguments);
    } finally {
      this.scope = outer;
    }
  }

  private interfaceSchema(declarations: ts.InterfaceDeclaration[]): Conversion {
    const bases: Record<string, unknown>[] = [];
    for (const declaration of declarations) {
      for (const clause of declaration.heritageClauses ?? []) {
        for (const base of clause.types) {
          const conversion = this.named(base.expression.getText(this.sourceFile), base.typeArguments ?? []);
          if ("unsupported" in conversion) return conversion;
          bases.push(conversion.schema);
        }
      }
    }
    return this.members(
      declarations.flatMap((declaration) => [...declaration.members]),
      bases,
    );
  }

  private enumeration(declaration: ts.EnumDeclaration): Conversion {
    const values: unknown[] = [];
    let next = 0;
    for (const member of declaration.members) {
      const value = member.initializer ? literalValue(member.initializer) : next;
      if (value === undefined) return { unsupported: `the enum ${declaration.name.text} has computed members` };
      values.push(value);
      if (typeof value === "number") next = value + 1;
    }
    return { schema: { enum: values } };
  }
}
