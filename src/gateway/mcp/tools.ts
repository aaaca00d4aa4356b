/**
 * The MCP tools a key sees: one per action in its scope, with the action's input schema (the same
 * JSON Schema as the OpenAPI document's, each field described), a description an agent can act on (what the action
 * does, whether it changes anything, what a call costs in budget and quota) and the tool
 * annotations that follow from the catalog's read-only flag.
 *
 * @module
 */

import type { CatalogEntry } from "../../action.ts";
import type { FieldDocs } from "../../json_schema.ts";
import type { AccountBudget } from "../budget.ts";
import type { KeyRateLimit } from "../keys.ts";

/** An MCP tool, as `tools/list` answers it. */
export interface McpTool {
  /** The action's name. */
  name: string;
  /** What it does, whether it changes anything and what it costs. */
  description: string;
  /** The action's input, as JSON Schema. */
  inputSchema: { type: "object"; [field: string]: unknown };
  /** MCP tool annotations (hints for the client). */
  annotations: {
    title: string;
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
}

/** What the cost sentence of a description says. */
export interface ToolCosts {
  /** The account budget, when there is one. */
  accountBudget?: Pick<AccountBudget, "limit" | "windowSeconds">;
  /** The key's quota, when it has one. */
  quota?: KeyRateLimit;
}

const requests = (limit: number, windowSeconds: number) =>
  `${limit} request${limit == 1 ? "" : "s"} per ${windowSeconds} s`;

/** Each action's schema and summary, loaded once per isolate on its first listing. */
const described = new Map<
  string,
  Promise<{ summary: string; inputSchema: McpTool["inputSchema"] }>
>();

const describe = (action: CatalogEntry) => {
  let entry = described.get(action.name);
  if (!entry) {
    entry = Promise.all([
      action.load(),
      import("../../json_schema.ts"),
      import("../../actions/info.ts"),
      import("../../actions/field_docs.ts"),
    ]).then(([definition, { jsonSchemaOf }, infos, { fieldDocs }]) => {
      const info = (infos as unknown as Record<string, { summary: string } | undefined>)[
        `${action.name}Info`
      ];
      return {
        summary: info?.summary ?? action.name,
        inputSchema: {
          ...jsonSchemaOf(definition.input, (fieldDocs as Record<string, FieldDocs>)[action.name]),
          type: "object" as const,
        },
      };
    });
    described.set(action.name, entry);
    entry.catch(() => described.delete(action.name));
  }
  return entry;
};

/** The cost sentence of every tool's description. */
const costOf = ({ accountBudget, quota }: ToolCosts) =>
  "Cost: " + [
    accountBudget
      ? `one request of the account's upstream budget (${
        requests(accountBudget.limit, accountBudget.windowSeconds)
      }, shared by every key)`
      : "no account budget is enforced",
    quota
      ? `one of this key's quota (${requests(quota.limit, quota.windowSeconds)})`
      : "this key has no quota of its own",
  ].join(" and ") + "; a refusal for either says in how many seconds to retry.";

/**
 * The tools of the actions a key may call, in the catalog's order.
 *
 * @param actions The actions in the key's scope.
 * @param costs The account budget and the key's quota, for the descriptions.
 * @returns The tools.
 */
export async function toolsOf(
  actions: readonly CatalogEntry[],
  costs: ToolCosts,
): Promise<McpTool[]> {
  const cost = costOf(costs);
  return await Promise.all(actions.map(async (action) => {
    const { summary, inputSchema } = await describe(action);
    const effect = action.readOnly
      ? "Reads only: changes nothing, safe to repeat."
      : "Changes the live platform's state (a write): it is not repeated on failure, so read " +
        "the result before calling it again.";
    return {
      name: action.name,
      description: `${summary} ${effect} ${cost}`,
      inputSchema,
      annotations: {
        title: action.name,
        readOnlyHint: action.readOnly,
        destructiveHint: !action.readOnly,
        idempotentHint: action.readOnly,
        openWorldHint: true,
      },
    };
  }));
}
