/**
 * The outgoing webhooks' endpoints as configured (`GATEWAY_WEBHOOKS`, or `createWebhookDelivery`'s
 * `endpoints`): checked once, each refusal naming the endpoint and the field, never quoting a
 * secret. A checked endpoint keeps its secret out of `JSON.stringify` and of printing.
 *
 * @module
 */

import { type ValidationIssue, WangsuValidationError } from "../../errors.ts";
import { secretBytes } from "../../callbacks/webhook_secret.ts";

/** The event types an endpoint may ask for. */
export const WEBHOOK_EVENT_TYPES = [
  "push.started",
  "push.stopped",
  "channel.banned",
  "channel.reopened",
  "record.status",
  "forward.status",
  "unknown",
  "channel.state_corrected",
] as const;

/** An endpoint that receives events as signed webhooks. */
export interface WebhookEndpoint {
  /** Its name: 1 to 64 of `a-z 0-9 _ -`; jobs and dead letters refer to it by this. */
  name: string;
  /**
   * Where deliveries are POSTed: `https:`, or plain `http:` only to a loopback address or
   * `localhost`. An IP address of a private, link-local, loopback or unspecified range
   * (`10.0.0.5`, `169.254.169.254`, `[fd00::1]`) is refused unless `privateNetwork` is `true`.
   */
  url: string;
  /**
   * `true` lets `url` be an `https:` address of a private, link-local or loopback range (an
   * endpoint inside the operator's own network). Default `false`. Names are not resolved: a
   * host name that resolves to such an address is the operator's to vet.
   */
  privateNetwork?: boolean;
  /** `whsec_` + base64 of 24 to 64 bytes; several while rotating (each signs). */
  secret: string | readonly string[];
  /** The event types it receives (default all). */
  types?: readonly (typeof WEBHOOK_EVENT_TYPES)[number][];
  /** The tenant whose objects' events it receives (applied by the gateway's `accepts` hook). */
  tenant?: string;
  /** How long one attempt may take, ms (default 10 000, at most 60 000). */
  timeoutMs?: number;
}

const NAME = /^[a-z0-9_-]{1,64}$/;
/** Hosts plain `http:` may reach: a loopback address written as one, or `localhost` itself. */
const LOOPBACK = /^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/i;
const FIELDS = new Set(["name", "url", "secret", "types", "tenant", "timeoutMs", "privateNetwork"]);

/**
 * Whether an IPv4 address (dotted, as the URL parser writes every IPv4 form) is in a range that is
 * not the public internet: this network, private, shared (CGNAT), loopback, link-local (cloud
 * metadata), the IETF's and the benchmarks', multicast and reserved.
 */
const privateIpv4 = (host: string): boolean => {
  const octets = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host)?.slice(1).map(Number);
  if (!octets) return false;
  const [a, b] = octets;
  return a == 0 || a == 10 || a == 127 || a >= 224 ||
    (a == 100 && b >= 64 && b <= 127) || (a == 169 && b == 254) ||
    (a == 172 && b >= 16 && b <= 31) || (a == 192 && (b == 168 || b == 0)) ||
    (a == 198 && (b == 18 || b == 19));
};

/**
 * Whether a URL's host is an IP address of a private, link-local, loopback or unspecified range
 * (IPv4, or IPv6 as the URL parser writes it: `[::1]`, `[fe80::1]`, `[::ffff:a9fe:a9fe]`).
 */
const privateAddress = (hostname: string): boolean => {
  if (!hostname.startsWith("[")) return privateIpv4(hostname);
  const ip = hostname.slice(1, -1).toLowerCase();
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (mapped) {
    const [high, low] = mapped.slice(1).map((hex) => parseInt(hex, 16));
    return privateIpv4(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  return ip == "::" || ip == "::1" || /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip) ||
    /^ff/.test(ip) || ip.startsWith("::ffff:");
};

/** What is wrong with an endpoint's URL, as `[rule, text]`, or nothing. */
const urlIssue = (value: unknown, privateNetwork: boolean): [string, string] | undefined => {
  if (typeof value != "string") return ["format", "must be a URL"];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ["format", "must be a URL"];
  }
  if (url.protocol == "http:" && LOOPBACK.test(url.hostname)) return undefined;
  if (url.protocol != "https:") {
    return ["format", "must be https: (plain http: only to a loopback address or localhost)"];
  }
  if (!privateNetwork && privateAddress(url.hostname)) {
    return [
      "private_address",
      "is a private, link-local or loopback address: set privateNetwork: true on this endpoint " +
      "if it is meant to be reached inside your network",
    ];
  }
  return undefined;
};

/** Hides an endpoint's secret from `JSON.stringify` and printing; it is still read as `secret`. */
const sealed = (endpoint: WebhookEndpoint): WebhookEndpoint => {
  const { secret, ...rest } = endpoint;
  return Object.defineProperty({ ...rest }, "secret", {
    value: secret,
    enumerable: false,
  }) as WebhookEndpoint;
};

/**
 * Checks the configured endpoints.
 *
 * @param raw The endpoints as configured (e.g. parsed from `GATEWAY_WEBHOOKS`).
 * @param path The option's name in errors (default `webhooks`).
 * @returns The endpoints, their secrets kept out of JSON and printing.
 * @throws {WangsuValidationError} Naming each endpoint's field and rule, never a secret.
 */
export function checkWebhookEndpoints(raw: unknown, path = "webhooks"): WebhookEndpoint[] {
  const issues: ValidationIssue[] = [];
  const add = (at: string, rule: string, text: string) =>
    issues.push({ path: at, rule, message: `${at}: ${text}` });
  if (!Array.isArray(raw)) {
    add(path, "type", "must be an array of endpoints {name, url, secret, types?, tenant?}");
    throw new WangsuValidationError(issues);
  }
  const names = new Set<string>();
  for (const [index, endpoint] of raw.entries()) {
    const at = `${path}.${index}`;
    if (typeof endpoint != "object" || endpoint == null || Array.isArray(endpoint)) {
      add(
        at,
        "type",
        "must be an object {name, url, secret, types?, tenant?, timeoutMs?, privateNetwork?}",
      );
      continue;
    }
    const value = endpoint as Record<string, unknown>;
    for (const field of ["name", "url", "secret"]) {
      if (value[field] === undefined) add(`${at}.${field}`, "required", "is required");
    }
    for (const field of Object.keys(value)) {
      if (!FIELDS.has(field)) {
        add(`${at}.${field}`, "unknown_field", "is not a field of an endpoint");
      }
    }
    const { name, url, secret, types, tenant, timeoutMs, privateNetwork } = value;
    if (name !== undefined) {
      if (typeof name != "string" || !NAME.test(name)) {
        add(`${at}.name`, "format", "must be 1 to 64 of a-z, 0-9, _ and -");
      } else if (names.has(name)) add(`${at}.name`, "unique", "names another endpoint already");
      else names.add(name);
    }
    if (privateNetwork !== undefined && typeof privateNetwork != "boolean") {
      add(`${at}.privateNetwork`, "type", "must be true or false");
    }
    const badUrl = url === undefined ? undefined : urlIssue(url, privateNetwork === true);
    if (badUrl) add(`${at}.url`, ...badUrl);
    if (secret !== undefined) {
      const rule = "must be whsec_ followed by the base64 of 24 to 64 bytes";
      if (Array.isArray(secret)) {
        if (!secret.length) add(`${at}.secret`, "min_length", "must hold at least one secret");
        secret.forEach((one, i) => !secretBytes(one) && add(`${at}.secret.${i}`, "format", rule));
      } else if (!secretBytes(secret)) add(`${at}.secret`, "format", rule);
    }
    if (types !== undefined) {
      if (!Array.isArray(types) || !types.length) {
        add(`${at}.types`, "type", "must be a non-empty array of event types");
      } else {
        types.forEach((type, i) => {
          if (!(WEBHOOK_EVENT_TYPES as readonly unknown[]).includes(type)) {
            add(`${at}.types.${i}`, "enum", `must be one of ${WEBHOOK_EVENT_TYPES.join(", ")}`);
          }
        });
      }
    }
    if (tenant !== undefined && (typeof tenant != "string" || !/^[\w.-]{1,128}$/.test(tenant))) {
      add(`${at}.tenant`, "format", "must be 1 to 128 letters, digits, _ . -");
    }
    if (
      timeoutMs !== undefined &&
      (!Number.isSafeInteger(timeoutMs) || (timeoutMs as number) < 1 ||
        (timeoutMs as number) > 60_000)
    ) {
      add(`${at}.timeoutMs`, "min_value", "must be a whole number of ms from 1 to 60000");
    }
  }
  if (issues.length) throw new WangsuValidationError(issues);
  return (raw as WebhookEndpoint[]).map(sealed);
}
