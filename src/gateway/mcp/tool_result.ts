/**
 * A tool call's outcome as an MCP tool result: the service's `data` on success; otherwise a tool
 * error (`isError: true`) an agent can read and act on, in words (`content`) and as fields
 * (`structuredContent`): the field and rule of each validation issue, the service's code and
 * request id, and when to retry a quota or budget refusal.
 *
 * @module
 */

import type { GatewayError } from "../gateway_error.ts";
import type { Answer } from "../steps/answer.ts";

/** An MCP `tools/call` result. */
export interface ToolResult {
  /** The result in words (JSON text for a success). */
  content: { type: "text"; text: string }[];
  /** The result as fields. */
  structuredContent?: Record<string, unknown>;
  /** Set on a tool error. */
  isError?: true;
  /** Index signature of the SDK's result type. */
  [key: string]: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value == "object" && value != null && !Array.isArray(value);

/**
 * A tool error: `text` in words, `fields` as the structured content.
 *
 * @param text The error in words.
 * @param fields The error as fields.
 * @returns The tool result (`isError: true`).
 */
export const toolError = (text: string, fields: Record<string, unknown>): ToolResult => ({
  content: [{ type: "text", text }],
  structuredContent: fields,
  isError: true,
});

const retryAfterSeconds = (headers: Readonly<Record<string, string>>) => {
  const seconds = Number(headers["retry-after"]);
  return Number.isFinite(seconds) && headers["retry-after"] ? { retryAfterSeconds: seconds } : {};
};

/**
 * The result of an answer that came back from the service.
 *
 * @param action The action's name.
 * @param answer The service's answer, as the gateway passes it on.
 * @returns Its `data` on success (code 200); a tool error with the service's code, message and
 *   request id otherwise.
 */
export function answerResult(action: string, answer: Answer): ToolResult {
  let envelope: unknown;
  try {
    envelope = JSON.parse(answer.text);
  } catch {
    envelope = undefined;
  }
  const body = isRecord(envelope) ? envelope : {};
  const requestId = answer.headers["x-cnc-request-id"];
  if (answer.status == 200 && String(body.code) == "200") {
    const data = body.data ?? null;
    return {
      content: [{ type: "text", text: JSON.stringify(data) }],
      ...(isRecord(data) ? { structuredContent: data } : {}),
    };
  }
  const said = body.message ?? body.result ?? body.error;
  const message = typeof said == "string" ? said : answer.text.slice(0, 200);
  const code = typeof body.code == "string" || typeof body.code == "number"
    ? body.code
    : answer.status;
  return toolError(
    `The service refused ${action}: ${code}: ${message} (HTTP ${answer.status}` +
      `${requestId ? `, request id ${requestId}` : ""})`,
    {
      status: answer.status,
      code,
      message,
      ...(requestId ? { requestId } : {}),
      ...retryAfterSeconds(answer.headers),
    },
  );
}

/**
 * The result of a refusal by the gateway (or of the upstream's failure it reports).
 *
 * @param refusal The refusal.
 * @returns A tool error with its status, reason, message, further fields (e.g. `issues`, each
 *   naming the field and the rule) and when to retry.
 */
export function refusalResult(refusal: GatewayError): ToolResult {
  const issues = Array.isArray(refusal.details.issues)
    ? (refusal.details.issues as { message?: unknown }[]).map((issue) => `\n- ${issue.message}`)
      .join("")
    : "";
  const requestId = refusal.headers["x-cnc-request-id"];
  return toolError(`${refusal.message}${issues}`, {
    status: refusal.status,
    reason: refusal.reason,
    message: refusal.message,
    ...refusal.details,
    ...(requestId ? { requestId } : {}),
    ...retryAfterSeconds(refusal.headers),
  });
}
