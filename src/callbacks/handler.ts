/**
 * A fetch handler that receives callbacks on any runtime: it answers at once and runs the
 * user's work after the answer, so the platform never waits on it.
 *
 * @module
 */

import { type CallbackEvent, parseCallback, WangsuCallbackError } from "./parse.ts";

/** Keeps work alive after the response (Workers' `ExecutionContext`, or anything alike). */
export interface WaitUntil {
  /** Extends the request's lifetime until `promise` settles. */
  waitUntil(promise: Promise<unknown>): void;
}

/** Options of {@link createCallbackHandler}. */
export interface CallbackHandlerOptions {
  /** Called with each event after the platform has its answer. */
  onEvent(event: CallbackEvent): unknown;
  /** Called when `onEvent` fails (default: `console.error`), or a callback is refused. */
  onError?(error: unknown, request: Request): void;
  /** Clock for events that carry no `time` (default `Date.now`). */
  now?: () => number;
}

const json = (status: number, body: Record<string, unknown>, headers: HeadersInit = {}) =>
  Response.json(body, { status, headers });

/**
 * Creates a callback receiver: `200` once the callback is read (the event is handed to
 * `onEvent` after that), `400` naming the parameter and rule when it is malformed, `405` for a
 * method other than GET or POST. It never answers 500.
 *
 * @example
 * ```ts
 * import { createCallbackHandler } from "@wangsu/sdk/callbacks";
 *
 * const handler = createCallbackHandler({
 *   onEvent(event) {
 *     if (event.type == "push.started") console.log(`${event.pullId} is live`);
 *   },
 * });
 * const response = await handler(
 *   new Request("https://hooks.example.com/wangsu?action=publish&pullId=abc123&time=1767225600"),
 * );
 * console.log(response.status); // 200
 * ```
 *
 * @param options What to do with each event.
 * @returns A fetch handler; pass Workers' `ExecutionContext` (or any `waitUntil`) as the second
 *   argument to keep `onEvent` running after the answer.
 */
export function createCallbackHandler(
  options: CallbackHandlerOptions,
): (request: Request, context?: WaitUntil) => Promise<Response> {
  const report = (error: unknown, request: Request) => {
    try {
      (options.onError ?? ((e) => console.error("Wangsu callback:", e)))(error, request);
    } catch {
      // Reporting must not break the answer.
    }
  };
  return (request, context) => {
    if (request.method != "GET" && request.method != "POST") {
      return Promise.resolve(
        json(405, { code: 405, message: "Callbacks arrive as GET" }, { allow: "GET, POST" }),
      );
    }
    let event: CallbackEvent;
    try {
      event = parseCallback(request, { now: options.now });
    } catch (error) {
      report(error, request);
      const issues = error instanceof WangsuCallbackError ? error.issues : [];
      return Promise.resolve(
        json(400, { code: 400, message: "Malformed callback", issues }),
      );
    }
    // After the answer: a macrotask, so the response is on its way first.
    const work = new Promise((resolve) => setTimeout(resolve, 0))
      .then(() => options.onEvent(event))
      .catch((error) => report(error, request));
    context?.waitUntil(work);
    return Promise.resolve(json(200, { code: 200, message: "ok", id: event.id }));
  };
}
