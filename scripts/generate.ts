/**
 * `deno task generate`: writes everything that follows from the action spec
 * (`src/actions/spec.json`): one module per action (`src/actions/<resource>/<action>.ts`, with its
 * input and output types, input schema, definition, info and function), the shared field groups'
 * modules, each resource's `mod.ts`, the catalog the gateway starts on (`src/actions/catalog.ts`),
 * the type map (`src/actions/types.ts`), the input fields' docs (`src/actions/field_docs.ts`) and
 * the README's action table. Rules the spec names come from `src/actions/rules.ts`, which it
 * imports to check them and to read the values a rule allows.
 * `tests/actions/generated_test.ts` renders the files again and fails, naming the file, while one
 * is stale.
 *
 * @module
 */

import { OBJECT_KINDS } from "../src/actions/ownership.ts";
import * as rules from "../src/actions/rules.ts";
import spec from "../src/actions/spec.json" with { type: "json" };

/** A field's type: a scalar, a group's name, a list, or an object. */
type TypeSpec = string | { list: TypeSpec } | { oneOrMany: TypeSpec } | ObjectSpec;

/** A rule: a name exported by `src/actions/rules.ts`, or a name and its arguments. */
type RuleSpec = string | readonly unknown[];

/** A request or response field. */
interface FieldSpec {
  type: TypeSpec;
  required?: boolean;
  nullable?: boolean;
  rule?: RuleSpec;
  default?: unknown;
  /** The kind of object whose id (or comma list of ids) the request field holds. */
  owned?: string;
  doc: string;
}

/** An object type: named (an exported interface) or not (the action's output itself). */
interface ObjectSpec {
  name?: string;
  doc?: string;
  extends?: string;
  fields: Record<string, FieldSpec>;
}

/** A shared field group and the module it is written to. */
interface GroupSpec extends ObjectSpec {
  module: string;
  moduleDoc?: string;
}

/** One action. */
interface ActionSpec {
  name: string;
  path: string;
  resource: string;
  readOnly: boolean;
  repeatable?: { whenGiven: string; doc: string };
  summary: string;
  /** What a success does with owned objects (see `src/actions/ownership.ts`). */
  ownership?: {
    creates?: { kind: string; id: string; existing?: true };
    forgets?: string[];
    lists?: { kind: string; items: string; id: string; count?: string; total?: string };
  };
  input: { extends?: string; fields: Record<string, FieldSpec>; checks?: RuleSpec[] };
  output: TypeSpec;
  /** A valid input (read by the tests, not written anywhere). */
  example: Record<string, unknown>;
}

/** The whole spec. */
interface Spec {
  resources: Record<string, { folder: string; title: string }>;
  groups: Record<string, GroupSpec>;
  actions: ActionSpec[];
}

const root = new URL("../", import.meta.url);
const { resources, groups, actions } = spec as unknown as Spec;
/** The groups' names by the module they are written to, in the spec's order. */
const groupsByModule = new Map<string, string[]>();
for (const [name, group] of Object.entries(groups)) {
  groupsByModule.set(group.module, [...groupsByModule.get(group.module) ?? [], name]);
}

/** The first line of every generated file. */
export const GENERATED =
  "// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.";

const pascal = (name: string) => name[0].toUpperCase() + name.slice(1);
const camel = (name: string) => name[0].toLowerCase() + name.slice(1);
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** The module of an action, from `src/actions/`. */
export const moduleOf = (action: { name: string; resource: string }): string =>
  `${resources[action.resource].folder}/${snake(action.name)}.ts`;
const literal = (value: unknown) => JSON.stringify(value);

/** A JSDoc block: one line, or more with the `@default` when there is one. */
const jsDoc = (doc: string, indent = "", fallback?: unknown) =>
  fallback === undefined
    ? `${indent}/** ${doc} */`
    : `${indent}/**\n${indent} * ${doc}\n${indent} *\n${indent} * @default ${
      literal(fallback)
    }\n${indent} */`;

// ---- Rules ----

const ruleExports = rules as unknown as Record<string, unknown>;

/** A rule's name and arguments. */
const parts = (rule: RuleSpec, at: string): { name: string; args: unknown[] } => {
  const [name, ...args] = typeof rule == "string" ? [rule] : rule;
  if (typeof name != "string" || typeof ruleExports[name] != "function") {
    throw new Error(`${at}: no rule ${JSON.stringify(name)} in src/actions/rules.ts`);
  }
  return { name, args };
};
const isRuleArgument = (arg: unknown): arg is { rule: RuleSpec } =>
  typeof arg == "object" && arg != null && !Array.isArray(arg) && "rule" in arg;

/**
 * The call of a rule, e.g. `text(255)`, or only its name for a rule of no arguments that `optional`
 * is to call (`optional(id)`: the line stays short); the rule names it uses are added to `used`.
 */
const ruleCall = (rule: RuleSpec, at: string, used: Set<string>, uncalled = false): string => {
  const { name, args } = parts(rule, at);
  used.add(name);
  if (uncalled && !args.length) return name;
  return `${name}(${
    args.map((arg) => isRuleArgument(arg) ? ruleCall(arg.rule, at, used) : literal(arg)).join(", ")
  })`;
};

/** The rule's schema, built as the generated code builds it. */
const ruleSchema = (rule: RuleSpec, at: string): Record<string, unknown> => {
  const { name, args } = parts(rule, at);
  return (ruleExports[name] as (...args: unknown[]) => Record<string, unknown>)(
    ...args.map((arg) => isRuleArgument(arg) ? ruleSchema(arg.rule, at) : arg),
  );
};

/** The spec type a schema takes (`string`, `integer`, `boolean`), to check against the spec's. */
const schemaType = (schema: Record<string, unknown>): string => {
  const options = schema.options as Record<string, unknown>[] | unknown[] | undefined;
  switch (schema.type) {
    case "number":
      return "integer";
    case "picklist":
      return typeof options![0] == "number" ? "integer" : typeof options![0];
    case "union":
      return schemaType((options as Record<string, unknown>[]).at(-1)!);
    case "literal":
      return typeof schema.literal;
    default:
      return String(schema.type);
  }
};

// ---- Types and shapes ----

const SCALARS: Record<string, string> = {
  string: "string",
  integer: "number",
  boolean: "boolean",
  object: "Record<string, unknown>",
};

const isObject = (type: TypeSpec): type is ObjectSpec =>
  typeof type == "object" && "fields" in type;
const itemOf = (type: TypeSpec) =>
  typeof type == "object" && "list" in type
    ? type.list
    : typeof type == "object" && "oneOrMany" in type
    ? type.oneOrMany
    : undefined;

/** The TypeScript type of a response type. */
const tsType = (type: TypeSpec, at: string): string => {
  const item = itemOf(type);
  if (item) return `${tsType(item, at)}[]`;
  if (isObject(type)) {
    if (!type.name) throw new Error(`${at}: a nested object needs a name`);
    return type.name;
  }
  if (typeof type != "string") throw new Error(`${at}: unknown type ${JSON.stringify(type)}`);
  if (SCALARS[type]) return SCALARS[type];
  if (groups[type]) return type;
  throw new Error(`${at}: unknown type ${JSON.stringify(type)}`);
};

/** The response shape (`src/shape.ts`) of a type. */
const shapeOf = (type: TypeSpec, at: string, nullable = false): string => {
  if (typeof type == "object" && "list" in type) return `[${shapeOf(type.list, at)}]`;
  if (typeof type == "object" && "oneOrMany" in type) {
    return `{ $oneOrMany: ${shapeOf(type.oneOrMany, at)} }`;
  }
  if (isObject(type)) return objectShape(type, at);
  if (type == "string" || type == "integer") {
    return nullable ? literal(`${type}?`) : type == "string" ? "str" : "int";
  }
  if (type == "object") return "{}";
  if (groups[type]) return `${camel(type)}Shape`;
  throw new Error(`${at}: no response shape for ${JSON.stringify(type)}`);
};

const objectShape = (type: ObjectSpec, at: string) => {
  const entries = Object.entries(type.fields).map(([name, field]) =>
    `${name}: ${shapeOf(field.type, `${at}.${name}`, field.nullable)},`
  );
  if (type.extends) entries.unshift(`...${camel(type.extends)}Shape,`);
  return `{\n${entries.join("\n")}\n}`;
};

/** The named object types a type declares, nested ones first. */
const namedObjects = (type: TypeSpec): ObjectSpec[] => {
  const item = itemOf(type);
  if (item) return namedObjects(item);
  if (!isObject(type)) return [];
  const nested = Object.values(type.fields).flatMap((field) => namedObjects(field.type));
  return type.name ? [...nested, type] : nested;
};

/** The groups a type refers to. */
const groupsOf = (type: TypeSpec): string[] => {
  const item = itemOf(type);
  if (item) return groupsOf(item);
  if (typeof type == "string") return groups[type] ? [type] : [];
  if (!isObject(type)) return [];
  return [
    ...(type.extends ? [type.extends] : []),
    ...Object.values(type.fields).flatMap((field) => groupsOf(field.type)),
  ];
};

/** An interface of response fields. */
const outputInterface = (name: string, doc: string, type: ObjectSpec, at: string) =>
  `${jsDoc(doc)}\nexport interface ${name}${type.extends ? ` extends ${type.extends}` : ""} {\n${
    Object.entries(type.fields).map(([field, spec]) =>
      `${jsDoc(spec.doc, "  ")}\n  ${field}${spec.nullable ? "?" : ""}: ${
        tsType(spec.type, `${at}.${field}`)
      }${spec.nullable ? " | null" : ""};`
    ).join("\n")
  }\n}`;

/** The TypeScript type of a request field: the values its rule allows, or its spec type. */
const inputType = (field: FieldSpec, at: string) => {
  if (typeof field.type != "string" || !["string", "integer", "boolean"].includes(field.type)) {
    throw new Error(`${at}: a request field is a string, an integer or a boolean`);
  }
  if (!field.rule) return SCALARS[field.type];
  const schema = ruleSchema(field.rule, at);
  if (schemaType(schema) != field.type) {
    throw new Error(`${at}: the rule takes a ${schemaType(schema)}, the spec says ${field.type}`);
  }
  return schema.type == "picklist"
    ? (schema.options as unknown[]).map((option) => literal(option)).join(" | ")
    : SCALARS[field.type];
};

/** An interface of request fields. */
const inputInterface = (name: string, doc: string, type: ObjectSpec, at: string) =>
  `${jsDoc(doc)}\nexport interface ${name}${type.extends ? ` extends ${type.extends}` : ""} {\n${
    Object.entries(type.fields).map(([field, spec]) =>
      `${jsDoc(spec.doc, "  ", spec.default)}\n  ${field}${spec.required ? "" : "?"}: ${
        inputType(spec, `${at}.${field}`)
      };`
    ).join("\n")
  }\n}`;

/**
 * The schema entries of request fields, e.g. `pullId: id(),` or `key: optional(id),`; the valibot
 * functions they name are added to `valibot`.
 */
const inputEntries = (
  fields: Record<string, FieldSpec>,
  at: string,
  used: Set<string>,
  valibot: Set<string>,
) =>
  Object.entries(fields).map(([name, field]) => {
    const base = field.type == "integer" ? "number" : String(field.type);
    if (!field.rule) valibot.add(base);
    if (field.required) {
      return `${name}: ${field.rule ? ruleCall(field.rule, `${at}.${name}`, used) : `${base}()`},`;
    }
    used.add("optional");
    return `${name}: optional(${
      field.rule ? ruleCall(field.rule, `${at}.${name}`, used, true) : base
    }),`;
  });

// ---- Modules ----

/** Import lines: module → names (types marked `type `). */
const importLines = (imports: Map<string, Set<string>>) =>
  [...imports].filter(([, names]) => names.size).map(([from, names]) => {
    const sorted = [...names].sort((a, b) =>
      a.replace(/^type /, "").localeCompare(b.replace(/^type /, ""))
    );
    return sorted.every((name) => name.startsWith("type "))
      ? `import type { ${sorted.map((name) => name.slice(5)).join(", ")} } from "${from}";`
      : `import { ${sorted.join(", ")} } from "${from}";`;
  }).join("\n");

/** The path from one module of `src/actions/` to another. */
const relative = (from: string, to: string) =>
  from.split("/")[0] == to.split("/")[0] ? `./${to.split("/")[1]}` : `../${to}`;

/** Adds what a module must import for the groups it uses. */
const importGroups = (
  imports: Map<string, Set<string>>,
  from: string,
  names: string[],
  suffix: (group: string) => string | undefined,
) => {
  for (const group of names) {
    const module = relative(from, `${groups[group].module}.ts`);
    if (module == `./${from.split("/")[1]}`) continue;
    const set = imports.get(module) ?? imports.set(module, new Set()).get(module)!;
    set.add(`type ${group}`);
    const value = suffix(group);
    if (value) set.add(value);
  }
};

const FUNCTION_DOC = [
  "@param client The client to call with.",
  "@param input The request fields.",
  "@param options Signal, timeout and headers for this call.",
  "@returns The response's `data`.",
  "@throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.",
  "@throws {WangsuApiError} When the service refuses the call.",
];

/** The module of one action. */
const actionModule = (action: ActionSpec) => {
  const at = action.name;
  const file = moduleOf(action);
  const Name = pascal(action.name);
  const used = new Set<string>();
  const valibot = new Set<string>(["strictObject"]);
  const input = action.input;
  const entries = [
    ...(input.extends ? [`...${camel(input.extends)}Entries(),`] : []),
    ...inputEntries(input.fields, `${at}.input`, used, valibot),
  ];
  const checks = (input.checks ?? []).map((check) => ruleCall(check, `${at}.checks`, used));
  if (checks.length) valibot.add("pipe");
  const object = `strictObject({\n${entries.join("\n")}\n})`;
  const schema = checks.length ? `pipe(\n${object},\n${checks.join(",\n")},\n)` : object;
  const optionalInput = !Object.values(fieldsOf(input)).some((field) => field.required);

  const output = action.output;
  const outputDecls = namedObjects(output).map((type) =>
    outputInterface(type.name!, type.doc ?? "", type, `${at}.output`)
  );
  outputDecls.push(
    isObject(output) && !output.name
      ? outputInterface(`${Name}Output`, output.doc ?? "", output, `${at}.output`)
      : `/** Response data of {@link ${action.name}}. */\nexport type ${Name}Output = ${
        tsType(output, `${at}.output`)
      };`,
  );
  const shape = shapeOf(output, `${at}.output`);

  const imports = new Map<string, Set<string>>([
    ["valibot", valibot],
    ["../../action.ts", new Set(["type ActionDefinition", "callAction"])],
    ["../../client.ts", new Set(["type WangsuClient"])],
    ["../../schema.ts", new Set(["type Schema"])],
    [
      "../../shape.ts",
      new Set(["str", "int"].filter((name) => new RegExp(`\\b${name}\\b`).test(shape))),
    ],
    ["../../transport.ts", new Set(["type CallOptions"])],
    ["../rules.ts", used],
  ]);
  importGroups(imports, file, input.extends ? [input.extends] : [], (g) => `${camel(g)}Entries`);
  importGroups(imports, file, [...new Set(groupsOf(output))], (g) => `${camel(g)}Shape`);

  const repeatable = action.repeatable
    ? `\n// ${
      action.repeatable.doc.replaceAll("`", "")
    }\nrepeatable: (input) => input.${action.repeatable.whenGiven} !== undefined,`
    : "";
  // A module holds what is its own; what all would repeat is in action.ts, rules.ts and info.ts
  // (the summaries). The order keeps the lines one module shares with another short of a block.
  return `${GENERATED}
${importLines(imports)}

${
    inputInterface(
      `${Name}Input`,
      `Input of {@link ${action.name}}.`,
      { extends: input.extends, fields: input.fields },
      `${at}.input`,
    )
  }

/** Checks the input of {@link ${action.name}} before anything is sent. */
export const ${Name}Schema: Schema<${Name}Input> = ${schema};

/** Definition of {@link ${action.name}}: path, schemas and retry safety. */
export const ${action.name}Action: ActionDefinition<
  ${Name}Input,
  ${Name}Output
> = {
name: ${literal(action.name)},
path: ${literal(action.path)},
readOnly: ${action.readOnly},${repeatable}
input: ${Name}Schema,
output: ${shape},
};

${outputDecls.join("\n\n")}

/**
 * ${action.summary}
 *
${FUNCTION_DOC.map((line) => ` * ${line}`).join("\n")}
 */
export function ${action.name}(
client: WangsuClient,
input${optionalInput ? "?" : ""}: ${Name}Input,
options?: CallOptions,
): Promise<${Name}Output> {
return callAction(client, ${action.name}Action, input, options);
}
`;
};

/** The module of the groups written to `module`. */
const groupModule = (module: string, names: string[]) => {
  const file = `${module}.ts`;
  const inputs = names.filter((name) => actions.some((action) => action.input.extends == name));
  const outputs = names.filter((name) => !inputs.includes(name));
  const used = new Set<string>();
  const valibot = new Set<string>();
  const declarations = names.map((name) => {
    const group = groups[name];
    if (inputs.includes(name)) {
      return `${inputInterface(name, group.doc ?? "", group, name)}

/** Internal: the input schema entries of {@link ${name}}. */
export const ${camel(name)}Entries = () => ({
${inputEntries(group.fields, name, used, valibot).join("\n")}
});`;
    }
    return `${outputInterface(name, group.doc ?? "", group, name)}

/** Internal: the response shape of {@link ${name}}. */
export const ${camel(name)}Shape: ObjectShape = ${objectShape(group, name)};`;
  });
  const shapes = declarations.join("\n");
  const imports = new Map<string, Set<string>>([
    ["valibot", valibot],
    [
      "../../shape.ts",
      new Set([
        ...(outputs.length ? ["type ObjectShape"] : []),
        ...["str", "int"].filter((name) => new RegExp(`: ${name},`).test(shapes)),
      ]),
    ],
    ["../rules.ts", used],
  ]);
  importGroups(
    imports,
    file,
    [...new Set(outputs.flatMap((name) => groupsOf(groups[name])))].filter((g) =>
      !names.includes(g)
    ),
    (g) => `${camel(g)}Shape`,
  );
  const moduleDoc = names.map((name) => groups[name].moduleDoc).find(Boolean);
  return `${GENERATED}
/**
 * ${moduleDoc}
 *
 * @module
 */

${importLines(imports)}

${declarations.join("\n\n")}
`;
};

/** A resource's `mod.ts`: its actions, and the types of its groups. */
const resourceModule = (resource: string) => {
  const folder = resources[resource].folder;
  const own = actions.filter((action) => action.resource == resource);
  const lines = own.map((action) => `export * from "./${moduleOf(action).split("/")[1]}";`);
  lines.push(
    `export { ${own.map((action) => `${action.name}Info`).join(", ")} } from "../info.ts";`,
  );
  for (const [module, names] of groupsByModule) {
    if (module.split("/")[0] != folder) continue;
    lines.push(
      `export type { ${names.toSorted().join(", ")} } from "./${module.split("/")[1]}.ts";`,
    );
  }
  return `${GENERATED}\n${lines.join("\n")}\n`;
};

/** An object's fields, as the spec declares them (a group's with its own). */
const fieldsOf = (type: TypeSpec | undefined): Record<string, FieldSpec> => {
  const item = type && itemOf(type);
  if (item) return fieldsOf(item);
  if (typeof type == "string") return groups[type] ? fieldsOf(groups[type]) : {};
  if (!type || !isObject(type)) return {};
  return { ...(type.extends ? fieldsOf(groups[type.extends]) : {}), ...type.fields };
};

/**
 * An action's ownership facts for the catalog (`ActionOwnership`), checked against the spec: a
 * kind must be one of `OBJECT_KINDS`, and every field named must exist where it is looked for.
 */
const ownershipOf = (action: ActionSpec) => {
  const at = `${action.name}.ownership`;
  const kind = (value: string, where: string) => {
    if (!(OBJECT_KINDS as readonly string[]).includes(value)) {
      throw new Error(`${where}: no kind of object ${literal(value)} (${OBJECT_KINDS.join(", ")})`);
    }
    return value;
  };
  const inputFields = fieldsOf(action.input);
  const names = Object.fromEntries(
    Object.entries(inputFields).filter(([, field]) => field.owned).map((
      [name, field],
    ) => [name, kind(field.owned!, `${action.name}.input.${name}.owned`)]),
  );
  const { creates, forgets, lists } = action.ownership ?? {};
  const outputFields = fieldsOf(action.output);
  const need = (fields: Record<string, FieldSpec>, name: string | undefined, where: string) => {
    if (name !== undefined && !fields[name]) throw new Error(`${where}: no field ${literal(name)}`);
  };
  if (creates) {
    kind(creates.kind, `${at}.creates.kind`);
    need(outputFields, creates.id, `${at}.creates.id`);
  }
  for (const field of forgets ?? []) {
    if (!names[field]) throw new Error(`${at}.forgets: ${literal(field)} names no owned object`);
  }
  let listed: Record<string, unknown> | undefined;
  if (lists) {
    kind(lists.kind, `${at}.lists.kind`);
    const page = lists.items ? outputFields : {};
    need(page, lists.items || undefined, `${at}.lists.items`);
    const items = lists.items ? fieldsOf(page[lists.items].type) : fieldsOf(action.output);
    need(items, lists.id, `${at}.lists.id`);
    need(page, lists.count, `${at}.lists.count`);
    need(page, lists.total, `${at}.lists.total`);
    const paged = "pageIndex" in inputFields && "pageSize" in inputFields;
    listed = { ...lists, ...(paged ? { paged: true } : {}) };
  }
  const facts = {
    ...(Object.keys(names).length ? { names } : {}),
    ...(creates ? { creates } : {}),
    ...(forgets ? { forgets } : {}),
    ...(listed ? { lists: listed } : {}),
  };
  return Object.keys(facts).length
    ? `\nownership: ${literal(facts).replace(/"(\w+)":/g, "$1:")},`
    : "";
};

/** The catalog: what the gateway needs to start, each action's module loaded on first use. */
const catalogModule = () =>
  `${GENERATED}
/**
 * The action catalog: every action's name, path, resource and whether it only reads, with a loader
 * of its full definition. What a gateway needs to start, without building ${actions.length} schemas or loading
 * valibot; each action's module is imported on its first request.
 *
 * @module
 */

import type { OwnedCatalogEntry } from "./ownership.ts";

/**
 * Every action, grouped by resource in the order the README lists them, with what it does with the
 * objects a tenant owns (\`ownership\`).
 */
export const catalog: readonly OwnedCatalogEntry[] = [
${
    actions.map((action) =>
      `{
name: ${literal(action.name)},
path: ${literal(action.path)},
resource: ${literal(action.resource)},
readOnly: ${action.readOnly},${ownershipOf(action)}
load: () =>
  import("./${moduleOf(action)}")
    .then((module) => module.${action.name}Action),
},`
    ).join("\n")
  }
];
`;

/** Each action's resource and summary, apart from the action modules: client bundles carry none. */
const infoModule = () =>
  `${GENERATED}
/**
 * Where each action belongs and what it does, for the docs, the gateway and OpenAPI: kept apart
 * from the action modules so that client bundles carry no prose.
 *
 * @module
 */

import type { ActionInfo } from "../action.ts";

${
    actions.map((action) =>
      `/** Where {@link ${action.name}} belongs and what it does. */
export const ${action.name}Info: ActionInfo = {
resource: ${literal(action.resource)},
summary: ${literal(action.summary)},
};`
    ).join("\n\n")
  }
`;

/**
 * The docs of request fields, one entry a line. A request field is a scalar (`inputType` throws
 * for any other), so none has nested fields to document.
 */
const docLines = (fields: Record<string, FieldSpec>) =>
  Object.entries(fields).map(([name, field]) => `${literal(name)}: ${literal(field.doc)},`)
    .join("\n");

/** The input groups, each with the actions whose input extends it. */
const inputGroups = () => {
  const users = new Map<string, string[]>();
  for (const action of actions) {
    const group = action.input.extends;
    if (group) users.set(group, [...users.get(group) ?? [], action.name]);
  }
  return users;
};

/**
 * Each action's input fields' docs, apart from the action modules: client bundles carry none. A
 * group's docs are written once and spread into each action that takes it.
 */
const fieldDocsModule = () =>
  `${GENERATED}
/**
 * What each action's input fields mean, by action name and field path (\`pageSize\`, and
 * \`field.inner\` or \`list[].inner\` for nested ones): the descriptions of the fields in the
 * gateway's OpenAPI document and MCP tools (\`jsonSchemaOf\`'s \`docs\`). Kept apart from the
 * action modules so that client bundles carry no prose.
 *
 * @module
 */

import type { FieldDocs } from "../json_schema.ts";
import type { ActionName } from "./types.ts";

${
    [...inputGroups()].map(([group, users]) =>
      `/** The docs of {@link ${group}}'s fields, which ${users.join(" and ")} take. */
const ${camel(group)}Docs: FieldDocs = {
${docLines(groups[group].fields)}
};`
    ).join("\n\n")
  }

/** Every action's input fields' docs, by action name. */
export const fieldDocs: Readonly<Record<ActionName, FieldDocs>> = {
${
    actions.map((action) =>
      `${action.name}: {
${action.input.extends ? `...${camel(action.input.extends)}Docs,\n` : ""}${
        docLines(action.input.fields)
      }
},`
    ).join("\n")
  }
};
`;

/** The type map: every action's input and output type by name. */
const typesModule = () =>
  `${GENERATED}
/**
 * Every action's input and output type, by action name: what code serving every action (the
 * simulator's handlers) is typed from, so that an action without a handler does not compile.
 *
 * @module
 */

${
    actions.map((action) =>
      `import type { ${pascal(action.name)}Input, ${pascal(action.name)}Output } from "./${
        moduleOf(action)
      }";`
    ).join("\n")
  }

/** The name of every action. */
export type ActionName = keyof ActionInputs;

/** Every action's input, by action name. */
export interface ActionInputs {
${actions.map((action) => `  ${action.name}: ${pascal(action.name)}Input;`).join("\n")}
}

/** Every action's output (the response's \`data\`), by action name. */
export interface ActionOutputs {
${actions.map((action) => `  ${action.name}: ${pascal(action.name)}Output;`).join("\n")}
}
`;

const START = "<!-- actions:start -->";
const END = "<!-- actions:end -->";

/** The README with its action section (between the markers) written from the spec. */
const readmeWith = (readme: string) => {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md: no ${START} ... ${END} markers`);
  const rows = actions.map((action) =>
    `| ${resources[action.resource].title} | \`${action.name}\` | \`${
      action.path.replace(/^\/live\//, "")
    }\` | ${action.readOnly ? "yes" : ""} | ${action.summary} |`
  );
  const section = `${START}

## All actions

| Resource | Function | Path | Read-only | What it does |
| --- | --- | --- | --- | --- |
${rows.join("\n")}

${END}`;
  return readme.slice(0, start) + section + readme.slice(end + END.length);
};

/** Formats files as the project does (`deno fmt`, line width 100), in a temporary folder. */
const formatted = async (files: Map<string, string>): Promise<Map<string, string>> => {
  const dir = await Deno.makeTempDir({ prefix: "wangsu-generate-" });
  try {
    for (const [path, text] of files) {
      await Deno.mkdir(`${dir}/${path.split("/").slice(0, -1).join("/")}`, { recursive: true });
      await Deno.writeTextFile(`${dir}/${path}`, text);
    }
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--quiet", "--no-config", "--line-width=100", dir],
      cwd: dir,
    }).output();
    if (code != 0) throw new Error(new TextDecoder().decode(stderr));
    return new Map(
      await Promise.all(
        [...files.keys()].map(async (path) =>
          [path, await Deno.readTextFile(`${dir}/${path}`)] as const
        ),
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
};

/**
 * Renders every generated file from the spec, formatted.
 *
 * @returns The files' text by path from the project root.
 */
export async function render(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const add = (path: string, text: string) => files.set(`src/actions/${path}`, text);
  for (const action of actions) add(moduleOf(action), actionModule(action));
  for (const [module, names] of groupsByModule) add(`${module}.ts`, groupModule(module, names));
  for (const resource of Object.keys(resources)) {
    add(`${resources[resource].folder}/mod.ts`, resourceModule(resource));
  }
  add("catalog.ts", catalogModule());
  add("info.ts", infoModule());
  add("field_docs.ts", fieldDocsModule());
  add("types.ts", typesModule());
  files.set("README.md", readmeWith(await Deno.readTextFile(new URL("README.md", root))));
  return await formatted(files);
}

/**
 * The generated files on disk (those starting with {@link GENERATED}) that the spec no longer
 * makes, e.g. the module of an action taken out of the spec.
 *
 * @param rendered What {@link render} made.
 * @returns Their paths from the project root.
 */
export async function strays(rendered: Map<string, string>): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(new URL(dir, root))) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory) await walk(`${path}/`);
      else if (path.endsWith(".ts") && !rendered.has(path)) {
        const text = await Deno.readTextFile(new URL(path, root));
        if (text.startsWith(GENERATED)) found.push(path);
      }
    }
  };
  await walk("src/actions/");
  return found;
}

if (import.meta.main) {
  const rendered = await render();
  for (const [path, text] of rendered) {
    const target = new URL(path, root);
    const before = await Deno.readTextFile(target).catch(() => undefined);
    if (before == text) continue;
    await Deno.mkdir(new URL(".", target), { recursive: true });
    await Deno.writeTextFile(target, text);
    console.log(`wrote ${path}`);
  }
  for (const path of await strays(rendered)) {
    await Deno.remove(new URL(path, root));
    console.log(`removed ${path}`);
  }
}
