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
import { findAction, readFlags } from "./arguments.ts";
import { runSignUrl } from "./sign_url.ts";
import { type Field, fieldsOf, typeText, valueOf } from "./fields.ts";
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

const usage = (program: string) => {
  const width = Math.max(...actions.map((action) => action.name.length));
  const lines = actions.map((action) => `  ${action.name.padEnd(width)}  ${action.summary}`);
  return `Usage: ${program} <action> [--field value ...] [--json '{...}'] [options]

Calls one Wangsu Channels Management API action and prints the result as JSON.
Credentials come from WANGSU_ACCESS_KEY and WANGSU_SECRET_KEY (WANGSU_ENDPOINT for another host).

Options:
  --json '{...}'      the input as JSON (field flags override its fields)
  --all               every page of a list action, as one JSON array (progress on stderr)
  --endpoint URL      the API host or URL
  --simulator         run against an embedded simulator (no account, nothing leaves the machine)
  --help              this text; \`${program} <action> --help\` lists the action's fields

  ${program} sign-url <url> --expires-in 3600
                      signs a push or play URL offline with the rule in WANGSU_URL_RULE
                      (no request made; \`${program} sign-url --help\` for more)

Exit codes: 0 done, 2 invalid arguments or input (nothing sent), 3 the API refused,
4 no answer (network or timeout), 1 anything else.

Actions:
${lines.join("\n")}
`;
};

const actionHelp = (program: string, action: DescribedAction, fields: readonly Field[]) => {
  const width = Math.max(8, ...fields.map((field) => field.name.length));
  const rows = fields.map((field) =>
    `  --${field.name.padEnd(width)}  ${typeText(field.schema)}${
      field.required ? " (required)" : ""
    }`
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
  const { name, help } = findAction(args);
  if (name == "sign-url") {
    return runSignUrl(args, {
      stdout: io.stdout,
      fail: (message) => fail(EXIT.validation, message),
      env: io.env,
    }, program);
  }
  if (!name) {
    (help ? io.stdout : io.stderr)(usage(program));
    return help ? EXIT.ok : EXIT.validation;
  }
  const action = actions.find((candidate) => candidate.name == name);
  if (!action) {
    const hint = closest(name);
    return fail(
      EXIT.validation,
      `unknown action "${name}"${hint ? `; did you mean ${hint}?` : ""} (see --help)`,
    );
  }
  const fields = fieldsOf(action.input);
  const flags = readFlags(args, action.name, fields.map((field) => field.name));
  if ("error" in flags) return fail(EXIT.validation, flags.error);
  if (flags.help) {
    io.stdout(actionHelp(program, action, fields));
    return EXIT.ok;
  }
  if (flags.extra.length) return fail(EXIT.validation, `unexpected argument "${flags.extra[0]}"`);

  // The input: --json first, then each --field over it.
  let input: Record<string, unknown> = {};
  if (flags.json !== undefined) {
    try {
      input = JSON.parse(flags.json);
    } catch (error) {
      return fail(EXIT.validation, `--json is not JSON: ${(error as Error).message}`);
    }
    if (typeof input != "object" || !input || Array.isArray(input)) {
      return fail(EXIT.validation, "--json must be a JSON object");
    }
  }
  for (const field of fields) {
    const text = flags.fields[field.name];
    if (text !== undefined) input[field.name] = valueOf(field.schema, text);
  }
  if (flags.all && !LISTS[action.name]) {
    return fail(EXIT.validation, `--all works with ${Object.keys(LISTS).join(", ")}`);
  }
  // The input first, so that a bad one is named before credentials are even looked at.
  const checked = readActionBody(action, JSON.stringify(input));
  if ("message" in checked) return fail(EXIT.validation, checked.message);

  try {
    let client: WangsuClient;
    if (flags.simulator) {
      // Loaded only when asked for: it brings Hono.
      const { createSimulator } = await import("../simulator/mod.ts");
      const simulator = createSimulator({ callbacks: false });
      client = createClient({ ...simulator.credentials[0], fetch: simulator.fetch });
      io.stderr(`${program}: using an embedded simulator (its state lasts this one run)\n`);
    } else {
      client = createClient({
        accessKey: io.env("WANGSU_ACCESS_KEY"),
        secretKey: io.env("WANGSU_SECRET_KEY"),
        endpoint: flags.endpoint ?? io.env("WANGSU_ENDPOINT"),
        fetch: io.fetch,
      });
    }
    let result: unknown;
    if (flags.all) {
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
