/**
 * The command line, as a function of its arguments and its I/O (so that tests and both runtimes
 * share it): `wangsu <action> [--field value ...] [--json '{...}']`. JSON results go to stdout,
 * messages to stderr; the exit code tells the error class apart.
 *
 * @module
 */

import { createClient, type WangsuClient } from "../client.ts";
import { actions } from "../actions/table.ts";
import { callAction, type DescribedAction, readActionBody } from "../action.ts";
import {
  WangsuApiError,
  WangsuNetworkError,
  WangsuTimeoutError,
  WangsuValidationError,
} from "../errors.ts";
import {
  paginateChannelList,
  paginateDirectoryList,
  paginateForwardTaskList,
  paginatePullChannelList,
} from "../paginate.ts";

/** Exit codes, by what went wrong. */
export const EXIT = {
  ok: 0,
  /** Anything unexpected. */
  failure: 1,
  /** Bad arguments or input: nothing was sent. */
  validation: 2,
  /** The API refused (an error envelope or status). */
  api: 3,
  /** No answer: network failure or timeout. */
  network: 4,
} as const;

/** What the CLI reads and writes. */
export interface CliIo {
  /** Writes to stdout. */
  stdout(text: string): void;
  /** Writes to stderr. */
  stderr(text: string): void;
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  /** Whether stderr is a terminal (progress lines only then). */
  stderrIsTerminal: boolean;
  /** The fetch to send with (default the global one). */
  fetch?: typeof fetch;
}

const LISTS: Record<string, (client: WangsuClient, input: never) => AsyncIterable<unknown>> = {
  getChannelList: paginateChannelList,
  getPullChannelList: paginatePullChannelList,
  getDirectoryList: paginateDirectoryList,
  getForwardTaskList: paginateForwardTaskList,
};

interface SchemaNode {
  type: string;
  wrapped?: SchemaNode;
  entries?: Record<string, SchemaNode>;
  options?: unknown[];
  pipe?: SchemaNode[];
}

/** The fields of an action's input: name, base type, whether required. */
const fieldsOf = (action: DescribedAction) => {
  let schema = action.input as unknown as SchemaNode;
  if (!schema.entries && schema.pipe?.[0]?.entries) schema = schema.pipe[0];
  return Object.entries(schema.entries ?? {}).map(([name, node]) => {
    let base = node;
    let required = true;
    while (base.wrapped && /optional|nullish|nullable|undefinedable/.test(base.type)) {
      required = false;
      base = base.wrapped;
    }
    const type = base.type == "picklist"
      ? (base.options ?? []).map((option) => JSON.stringify(option)).join(" | ")
      : base.type.replace("strict_object", "object");
    return { name, node: base, type, required };
  });
};

/** A flag's text as the field's type wants it; left as text when it cannot be (validation says why). */
const coerce = (node: SchemaNode, text: string): unknown => {
  const numeric = text.trim() != "" && !Number.isNaN(Number(text));
  if (node.type == "number") return numeric ? Number(text) : text;
  if (node.type == "boolean") return text == "true" ? true : text == "false" ? false : text;
  if (node.type == "picklist") {
    return node.options?.includes(text)
      ? text
      : numeric && node.options?.includes(Number(text))
      ? Number(text)
      : text;
  }
  if (/object|array|record/.test(node.type)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
};

const usage = (program: string) => {
  const width = Math.max(...actions.map((action) => action.name.length));
  const lines = actions.map((action) => `  ${action.name.padEnd(width)}  ${action.summary}`);
  return `Usage: ${program} <action> [--field value ...] [--json '{...}'] [options]

Calls one Wangsu Channels Management API action and prints the result as JSON.
Credentials come from WANGSU_ACCESS_KEY and WANGSU_SECRET_KEY (WANGSU_ENDPOINT for another host).

Options:
  --json '{...}'      the input as JSON (flags given after it override its fields)
  --all               every page of a list action, as one JSON array (progress on stderr)
  --endpoint URL      the API host or URL
  --simulator         run against an embedded simulator (no account, nothing leaves the machine)
  --help              this text; \`${program} <action> --help\` lists the action's fields

Exit codes: 0 done, 2 invalid arguments or input (nothing sent), 3 the API refused,
4 no answer (network or timeout), 1 anything else.

Actions:
${lines.join("\n")}
`;
};

const actionHelp = (program: string, action: DescribedAction) => {
  const fields = fieldsOf(action);
  const width = Math.max(8, ...fields.map((field) => field.name.length));
  const rows = fields.map((field) =>
    `  --${field.name.padEnd(width)}  ${field.type}${field.required ? " (required)" : ""}`
  );
  return `${program} ${action.name}: ${action.summary}
  POST ${action.path}${action.readOnly ? " (read-only)" : ""}${
    LISTS[action.name] ? "; --all reads every page" : ""
  }

Fields:
${rows.length ? rows.join("\n") : "  (none)"}
`;
};

/** Edit distance, for "did you mean". */
const distance = (a: string, b: string) => {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
};

/** The action whose name is nearest, when it is near enough. */
const closest = (name: string) => {
  const [best] = actions.map((action) => ({
    name: action.name,
    cost: distance(name.toLowerCase(), action.name.toLowerCase()),
  })).sort((a, b) => a.cost - b.cost);
  return best.cost <= Math.max(2, name.length / 4) ? best.name : undefined;
};

/**
 * Runs the command line.
 *
 * @param args The arguments after the program name.
 * @param io Output, environment and terminal facts.
 * @param program The name to show in help.
 * @returns The exit code.
 */
export async function runCli(args: string[], io: CliIo, program = "wangsu"): Promise<number> {
  const fail = (code: number, message: string) => {
    io.stderr(`${program}: ${message}\n`);
    return code;
  };
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      if (arg == "-h") flags.set("help", true);
      else positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (["help", "all", "simulator"].includes(name)) flags.set(name, true);
    else if (inline !== undefined) flags.set(name, inline);
    else if (i + 1 < args.length) flags.set(name, args[++i]);
    else return fail(EXIT.validation, `--${name} needs a value`);
  }
  const [name, ...extra] = positional;
  if (!name) {
    (flags.has("help") ? io.stdout : io.stderr)(usage(program));
    return flags.has("help") ? EXIT.ok : EXIT.validation;
  }
  const action = actions.find((candidate) => candidate.name == name);
  if (!action) {
    const hint = closest(name);
    return fail(
      EXIT.validation,
      `unknown action "${name}"${hint ? `; did you mean ${hint}?` : ""} (see --help)`,
    );
  }
  if (flags.has("help")) {
    io.stdout(actionHelp(program, action));
    return EXIT.ok;
  }
  if (extra.length) return fail(EXIT.validation, `unexpected argument "${extra[0]}"`);

  // The input: --json first, then each --field.
  let input: Record<string, unknown> = {};
  const json = flags.get("json");
  if (typeof json == "string") {
    try {
      input = JSON.parse(json);
    } catch (error) {
      return fail(EXIT.validation, `--json is not JSON: ${(error as Error).message}`);
    }
    if (typeof input != "object" || !input || Array.isArray(input)) {
      return fail(EXIT.validation, "--json must be a JSON object");
    }
  }
  const fields = new Map(fieldsOf(action).map((field) => [field.name, field]));
  for (const [flag, value] of flags) {
    if (["json", "all", "simulator", "endpoint"].includes(flag)) continue;
    const field = fields.get(flag);
    if (!field) {
      return fail(
        EXIT.validation,
        `${action.name} has no field "${flag}" (fields: ${
          [...fields.keys()].join(", ") || "none"
        })`,
      );
    }
    input[flag] = coerce(field.node, String(value));
  }
  const all = flags.has("all");
  if (all && !LISTS[action.name]) {
    return fail(EXIT.validation, `--all works with ${Object.keys(LISTS).join(", ")}`);
  }
  // The input first, so that a bad one is named before credentials are even looked at.
  const checked = readActionBody(action, JSON.stringify(input));
  if ("message" in checked) return fail(EXIT.validation, checked.message);

  try {
    let client: WangsuClient;
    if (flags.has("simulator")) {
      // Loaded only when asked for: it brings Hono.
      const { createSimulator } = await import("../simulator/mod.ts");
      const simulator = createSimulator({ callbacks: false });
      client = createClient({ ...simulator.credentials[0], fetch: simulator.fetch });
      io.stderr(`${program}: using an embedded simulator (its state lasts this one run)\n`);
    } else {
      const endpoint = flags.get("endpoint");
      client = createClient({
        accessKey: io.env("WANGSU_ACCESS_KEY"),
        secretKey: io.env("WANGSU_SECRET_KEY"),
        endpoint: typeof endpoint == "string" ? endpoint : io.env("WANGSU_ENDPOINT"),
        fetch: io.fetch,
      });
    }
    let result: unknown;
    if (all) {
      const items: unknown[] = [];
      for await (const item of LISTS[action.name](client, input as never)) {
        items.push(item);
        if (io.stderrIsTerminal && items.length % 10 == 0) io.stderr(`\r${items.length} read…`);
      }
      if (io.stderrIsTerminal) io.stderr(`\r${items.length} read.   \n`);
      result = items;
    } else {
      result = await callAction(client, action, input);
    }
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.ok;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof WangsuValidationError) return fail(EXIT.validation, message);
    if (error instanceof WangsuApiError) return fail(EXIT.api, message);
    if (error instanceof WangsuNetworkError || error instanceof WangsuTimeoutError) {
      return fail(EXIT.network, message);
    }
    return fail(EXIT.failure, message);
  }
}
