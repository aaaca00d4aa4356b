/**
 * The command line's arguments, read with `node:util`'s `parseArgs` (built into Deno and Node):
 * `wangsu <action> [--field value ...] [--json '{...}'] [options]`.
 *
 * Two things `parseArgs` cannot do alone, hence the small layer here:
 * - Its options are fixed before it reads, but the fields (the flags that take a value) depend on
 *   the action, a positional. So {@link findAction} reads once with the common options alone, and
 *   counts any other flag as taking the argument after it, only to find the action;
 *   {@link readFlags} then reads again with the action's fields declared.
 * - Its strict mode refuses bad flags in its own multi-line words, naming no field of the action.
 *   So {@link readFlags} reads leniently and checks the tokens `parseArgs` returns, to say in one
 *   line what is wrong: a flag the action does not have (and the ones it has), a field with no
 *   value or with a flag where its value should be (`--a --b x`), a switch given a value.
 *
 * @module
 */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/** The flags of every action, beside its fields. */
const COMMON = {
  help: { type: "boolean", short: "h" },
  all: { type: "boolean" },
  simulator: { type: "boolean" },
  json: { type: "string" },
  endpoint: { type: "string" },
} as const;
const isCommon = (name: string) => Object.hasOwn(COMMON, name);

/** What the command line holds once read: the flags' values, and what positionals are left. */
export interface Flags {
  /** `--help` or `-h`. */
  help: boolean;
  /** `--all`. */
  all: boolean;
  /** `--simulator`. */
  simulator: boolean;
  /** `--json`'s text. */
  json?: string;
  /** `--endpoint`'s text. */
  endpoint?: string;
  /** Each field flag's text, by field name (the last one given wins). */
  fields: Record<string, string>;
  /** Positionals after the action's name (an error: the action takes none). */
  extra: string[];
}

/**
 * The action the command line names (its first positional), and whether it asks for help: what
 * the CLI needs to know before it knows the action's fields.
 *
 * @param args The arguments after the program name.
 */
export function findAction(args: string[]): { name?: string; help: boolean } {
  const { values, tokens } = parseArgs({
    args,
    options: COMMON,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  // A flag that is not a common one is a field, and its value is the argument after it.
  const taken = new Set(
    tokens.flatMap((token) =>
      token.kind == "option" && !isCommon(token.name) && !token.inlineValue ? [token.index + 1] : []
    ),
  );
  const action = tokens.find((token) => token.kind == "positional" && !taken.has(token.index));
  return {
    name: action?.kind == "positional" ? action.value : undefined,
    help: values.help === true,
  };
}

/**
 * Reads the command line of an action whose fields are known.
 *
 * @param args The arguments after the program name.
 * @param action The action's name (to name it in an error).
 * @param fields The action's field names.
 * @returns The flags, or the one-line message that says what is wrong with them.
 */
export function readFlags(
  args: string[],
  action: string,
  fields: readonly string[],
): Flags | { error: string } {
  const options: ParseArgsOptionsConfig = {
    ...Object.fromEntries(fields.map((field) => [field, { type: "string" }])),
    ...COMMON,
  };
  const { values, positionals, tokens } = parseArgs({
    args,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const help = values.help === true;
  // Help is what was asked for, whatever else is wrong.
  for (const token of help ? [] : tokens) {
    if (token.kind != "option") continue;
    const type = Object.hasOwn(options, token.name) ? options[token.name].type : undefined;
    if (!type) {
      return {
        error: `${action} has no field "${token.name}" (fields: ${fields.join(", ") || "none"})`,
      };
    }
    if (type == "boolean" && token.inlineValue) return { error: `${token.rawName} takes no value` };
    if (type == "boolean") continue;
    if (token.value === undefined) return { error: `${token.rawName} needs a value` };
    // parseArgs takes the next argument whatever it is; a flag there means the value is missing.
    if (!token.inlineValue && /^-./.test(token.value)) {
      return {
        error: `${token.rawName} needs a value, but ${token.value} follows it (for a value ` +
          `that starts with "-", write ${token.rawName}=${token.value})`,
      };
    }
  }
  const text = (name: string) => typeof values[name] == "string" ? values[name] : undefined;
  return {
    help,
    all: values.all === true,
    simulator: values.simulator === true,
    json: text("json"),
    endpoint: text("endpoint"),
    fields: Object.fromEntries(
      fields.filter((field) => !isCommon(field) && text(field) !== undefined)
        .map((field) => [field, text(field)!]),
    ),
    extra: positionals.slice(positionals.indexOf(action) + 1),
  };
}
