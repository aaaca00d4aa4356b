// What the /events security tests share: a gateway whose memory hub counts its live
// subscriptions, bearer keys to subscribe with, and a wait on a condition with a deadline that
// only bounds a hang.
import {
  type CallbackIngressOptions,
  createGateway,
  createMemoryHub,
} from "../../src/gateway/mod.ts";
import type { AuditEntry } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { virtualClock } from "../helpers.ts";

/** The master pair of the /events security tests (never called: /events does not go upstream). */
export const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_events_security_7Qx2" };
/** The secret part of the callback ingress path. */
export const ingressToken = "cb_security_9f2c41d07be35a68e1c4b2d9";
/** Bearer tokens: two read keys, one recording key, and two tokens of one rotating key. */
export const tokens = {
  reader: "reader-token-7c1f3a9e5b2d4068",
  viewer: "viewer-token-e04b9d27a6c13f58",
  recorder: "recorder-token-5a8d0e36c9f21b74",
  rotatingOld: "rotating-old-token-31c7e9a05d2b",
  rotatingNew: "rotating-new-token-8b4f02d6a9e1",
};

/** A gateway with callbacks on a memory hub whose `subscribers` the tests count. */
export function eventsGateway(callbacks: Partial<CallbackIngressOptions> = {}) {
  const clock = virtualClock();
  const audit: AuditEntry[] = [];
  const simulator = createSimulator({ credentials: [master], callbacks: false, now: clock.now });
  const hub = createMemoryHub({ now: clock.now });
  const gateway = createGateway({
    upstream: { ...master, fetch: simulator.fetch },
    now: clock.now,
    keys: [
      { name: "reader", token: tokens.reader, actions: ["read"], objects: "all" as const },
      { name: "viewer", token: tokens.viewer, actions: ["read"], objects: "all" as const },
      { name: "recorder", token: tokens.recorder, actions: ["recording"], objects: "all" as const },
      { name: "rotating", token: tokens.rotatingOld, actions: ["read"], objects: "all" as const },
      { name: "rotating", token: tokens.rotatingNew, actions: ["read"], objects: "all" as const },
    ],
    callbacks: { token: ingressToken, hub, ...callbacks },
    auditLog: false,
    onAudit: (entry) => audit.push(entry),
  });
  /** Requests `/events` as `token` (method and signal as given). */
  const open = (token: string, init: RequestInit = {}, query = "") =>
    gateway.fetch(
      new Request(`http://gateway.test/events${query}`, {
        ...init,
        headers: { authorization: `Bearer ${token}` },
      }),
    );
  return { gateway, hub, audit, clock, open };
}

/**
 * Resolves once `condition()` holds; rejects naming `what` after `ms` (a bound on a hang, not a
 * wait: the condition is checked again at every turn of the event loop).
 */
export async function until(
  condition: () => boolean,
  what: string | (() => string),
  ms = 60_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(
        `still waiting after ${ms} ms for ${typeof what == "string" ? what : what()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
