/** Shared test helpers: a recording fetch double and canned responses. */
import { createSimulator } from "../src/simulator/mod.ts";
import * as sdk from "../mod.ts";
import type { OrderTimers } from "../src/gateway/mod.ts";

/** A fetch that records every request and answers with `respond`. */
export function recordingFetch(
  respond: (request: Request) => Response | Promise<Response> = () => envelope({}),
): typeof fetch & { requests: Request[]; bodies: string[] } {
  const requests: Request[] = [];
  const bodies: string[] = [];
  const fake = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    bodies.push(await request.clone().text());
    return respond(request);
  };
  return Object.assign(fake, { requests, bodies });
}

/** A successful API response wrapping `data`. */
export function envelope(data: unknown, headers: HeadersInit = {}): Response {
  return Response.json({ code: 200, message: "success", data }, {
    headers: { "x-cnc-request-id": "req-ok-1", ...headers },
  });
}

/** Credentials used by the unit tests; the secret is checked for in error output. */
export const testCredentials = {
  accessKey: "AK_TEST",
  secretKey: "SK_TEST_secret_value_7f3a",
};

/** Never answers; rejects with the request's abort reason once it is aborted (or at once). */
export function untilAborted(request: Request): Promise<never> {
  return new Promise((_, reject) => {
    if (request.signal.aborted) reject(request.signal.reason);
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
  });
}

/** Runs the Python client; returns its status and parsed body. */
export async function python(
  base: string,
  ak: string,
  sk: string,
  path: string,
  body: unknown,
  signed?: string,
) {
  const script = new URL("./fixtures/vendor_style_signer.py", import.meta.url).pathname;
  const args = [script, base, ak, sk, path, JSON.stringify(body), ...(signed ? [signed] : [])];
  const { code, stdout, stderr } = await new Deno.Command("python3", { args }).output();
  if (code != 0) throw new Error(new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout)) as {
    status: number;
    body: Record<string, unknown>;
  };
}

/**
 * A virtual clock: `sleep` moves time forward instead of waiting, so waits cost nothing in tests.
 * Time moves only once `idle()` holds (e.g. no request in flight), as it would in real time,
 * and only after everything already due has run.
 */
export function virtualClock(
  start = Date.UTC(2026, 10, 24, 8, 0, 0),
  idle: () => boolean = () => true,
) {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  const clock = {
    time: start,
    now: () => clock.time,
    sleep: async (ms: number) => {
      do await tick(); while (!idle());
      clock.time += ms;
    },
  };
  return clock;
}

/**
 * A virtual clock for sleepers that wait side by side: `sleep(ms)` resolves when the clock reaches
 * its due time. Time jumps to the earliest due time once `idle()` holds (e.g. every request is
 * answered or asleep), as it would in real time, and only after everything already due has run;
 * sleepers due at the same time wake in the order they fell asleep.
 */
export function virtualTimers(
  start = Date.UTC(2026, 10, 24, 8, 0, 0),
  idle: () => boolean = () => true,
) {
  const due: { at: number; wake: () => void }[] = [];
  let armed = false;
  const wakeNext = () => {
    armed = false;
    if (!due.length) return;
    if (!idle()) return arm();
    due.sort((a, b) => a.at - b.at); // stable: equal times keep their order
    clock.time = Math.max(clock.time, due[0].at);
    while (due.length && due[0].at <= clock.time) due.shift()!.wake();
    if (due.length) arm();
  };
  const arm = () => {
    if (armed) return;
    armed = true;
    setTimeout(wakeNext, 0);
  };
  const clock = {
    time: start,
    now: () => clock.time,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        due.push({ at: clock.time + Math.max(0, ms), wake });
        arm();
      }),
    /** Sleepers not yet woken. */
    get sleeping() {
      return due.length;
    },
  };
  return clock;
}

/**
 * Waits until `condition` returns something truthy, checking every `everyMs`, and returns it.
 * `deadlineMs` only bounds a hang (keep it generous: it is never a latency target); once it has
 * passed, rejects naming `what` and the last value seen.
 */
export async function until<T>(
  condition: () => T | Promise<T>,
  what: string,
  { deadlineMs = 60_000, everyMs = 10 }: { deadlineMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() >= deadline) {
      throw new Error(
        `gave up after ${deadlineMs} ms waiting for ${what}; last ${JSON.stringify(value)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Settles as `promise` does, or rejects naming `what` if it has not settled after `deadlineMs`: a
 * bound on a hang, never a latency target (keep it generous).
 */
export function settles<T>(promise: Promise<T>, what: string, deadlineMs = 60_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`gave up after ${deadlineMs} ms waiting for ${what}`)),
      deadlineMs,
    );
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

let npmBuild: Promise<void> | undefined;

/**
 * Runs `deno task build:npm` once per test run (the test files share one process) and rejects
 * with the build's output when it fails.
 */
export function buildNpmOnce(): Promise<void> {
  return npmBuild ??= (async () => {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["task", "build:npm"],
      cwd: new URL("../", import.meta.url).pathname,
    }).output();
    if (code != 0) {
      throw new Error(new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr));
    }
  })();
}

/**
 * Serves `respond` (a simulator's fetch) on 127.0.0.1, recording when each request arrived and
 * the status it got: what the vendor would have seen.
 */
export function recordingUpstream(respond: (request: Request) => Promise<Response>) {
  const arrivals: number[] = [];
  const statuses: number[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (r) => {
    arrivals.push(Date.now());
    const response = await respond(r);
    statuses.push(response.status);
    return response;
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    arrivals,
    statuses,
    /** Forgets what arrived so far. */
    reset() {
      arrivals.length = 0;
      statuses.length = 0;
    },
    /** The most arrivals inside any window of `windowMs`. */
    busiest(windowMs: number) {
      let most = 0;
      for (let i = 0, j = 0; i < arrivals.length; i++) {
        while (arrivals[j] <= arrivals[i] - windowMs) j++;
        most = Math.max(most, i - j + 1);
      }
      return most;
    },
    shutdown: () => server.shutdown(),
  };
}

/** Credentials of the cross-isolate edge-state tests: the master pair and the callers' keys. */
export const edge = {
  master: { accessKey: "AK_MASTER", secretKey: "SK_MASTER_secret_value_for_the_edge" },
  ops: { accessKey: "GW_OPS", secretKey: "gw-ops-secret-0123456789" },
  viewerToken: "viewer-token-0123456789abcdef",
  partnerToken: "partner-token-0123456789abcdef",
};

/** The gateway keys of the edge-state tests: all actions signed, reads by bearer, a quota'd partner. */
export const edgeKeys = (partnerQuota: { limit: number; windowSeconds: number }) => [
  // These tests are about the shared state (replay, budget, quotas) across isolates, on channels
  // made on the simulator: every key sees the whole account (tenancy is tested on its own).
  { name: "ops", ...edge.ops, actions: ["*"], objects: "all" as const },
  // Opted out of the default quota: the budget tests send more than half the budget with it.
  {
    name: "viewer",
    token: edge.viewerToken,
    actions: ["read"],
    rateLimit: false as const,
    objects: "all" as const,
  },
  {
    name: "partner",
    token: edge.partnerToken,
    actions: ["read"],
    rateLimit: partnerQuota,
    objects: "all" as const,
  },
];

/**
 * The upstream and gateway environment of a cross-isolate test: the simulator, rate-limited to
 * the budget (so an overspend shows as a vendor 429), behind {@link recordingUpstream}, and the
 * gateway variables that set the same budget and the partner's quota.
 */
export function edgeScenario(
  budget: { limit: number; windowMs: number },
  partnerQuota: { limit: number; windowSeconds: number },
) {
  const simulator = createSimulator({ credentials: [edge.master], rateLimit: budget });
  const upstream = recordingUpstream(simulator.fetch);
  const env: Record<string, string> = {
    WANGSU_ACCESS_KEY: edge.master.accessKey,
    WANGSU_SECRET_KEY: edge.master.secretKey,
    WANGSU_ENDPOINT: upstream.url,
    GATEWAY_KEYS: JSON.stringify(edgeKeys(partnerQuota)),
    GATEWAY_ACCOUNT_BUDGET: `${budget.limit}/${budget.windowMs / 1000}`,
    // The margin must exceed the time from a slot's grant to the request's arrival upstream. With
    // workerd, the test and the simulator on two busy cores that reached beyond 250 ms in a CI run
    // (one vendor 429); 1 s leaves room, at the price of a slower test.
    GATEWAY_BUDGET_MARGIN_MS: "1000",
    GATEWAY_BUDGET_MAX_WAIT_MS: "60000",
  };
  return { upstream, env };
}

/** One Server-Sent Event as read off a stream. */
export interface SseMessage {
  /** `event:` field. */
  event: string;
  /** `id:` field. */
  id: string;
  /** `data:` parsed as JSON. */
  data: Record<string, unknown>;
}

/**
 * Reads a `text/event-stream` response: `next(ms)` resolves with the next event, or `undefined`
 * when none comes within `ms` (comments and `retry:` lines skipped); `close()` cancels.
 */
export function sseReader(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const queue: SseMessage[] = [];
  let buffer = "";
  let pending: Promise<ReadableStreamReadResult<string>> | undefined;
  let done = false;
  const parse = () => {
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split("\n")) {
        if (!line || line.startsWith(":")) continue;
        const split = line.indexOf(":");
        fields[line.slice(0, split)] = line.slice(split + 1).trimStart();
      }
      if (fields.data !== undefined) {
        queue.push({
          event: fields.event ?? "message",
          id: fields.id ?? "",
          data: JSON.parse(fields.data),
        });
      }
    }
  };
  return {
    async next(ms: number): Promise<SseMessage | undefined> {
      const deadline = Date.now() + ms;
      while (!queue.length && !done) {
        pending ??= reader.read();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const result = await Promise.race([
          pending,
          new Promise<"timeout">((resolve) => {
            timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
          }),
        ]);
        clearTimeout(timer);
        if (result == "timeout") break;
        pending = undefined;
        if (result.done) done = true;
        else buffer += result.value.replaceAll("\r\n", "\n");
        parse();
      }
      return queue.shift();
    },
    /** Whether the server ended the stream. */
    get ended() {
      return done;
    },
    async close() {
      await reader.cancel().catch(() => {});
    },
  };
}

/**
 * A push-mode channel on push.example.com; with `notifyUrl`, push-state callbacks for that domain
 * switched on and sent there.
 */
export async function demoChannel(
  client: sdk.WangsuClient,
  notifyUrl?: string,
  channelName = "Demo",
): Promise<string> {
  const { pullId } = await sdk.createChannel(client, {
    channelName,
    channelType: "live",
    pushDomain: "push.example.com",
    pullRate: "0",
  });
  if (notifyUrl) {
    await sdk.setChannelStateRealtimeBack(client, {
      domainName: "push.example.com",
      notifyUrl,
      open: 1,
    });
  }
  return pullId;
}

/**
 * The module graph of an entry, from `deno info --json`: every module reachable (`all`, dynamic
 * imports included) and those loaded when the entry is imported (`statics`: static imports only).
 */
export async function moduleGraph(entry: URL): Promise<{ all: string[]; statics: string[] }> {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry.pathname],
  }).output();
  const graph: {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  } = JSON.parse(new TextDecoder().decode(stdout));
  const bySpecifier = new Map(graph.modules.map((module) => [module.specifier, module]));
  const loaded = new Set<string>();
  const visit = (specifier: string) => {
    if (loaded.has(specifier)) return;
    loaded.add(specifier);
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (dependency.code && !dependency.isDynamic) visit(dependency.code.specifier);
    }
  };
  visit(graph.roots[0]);
  return { all: graph.modules.map((module) => module.specifier), statics: [...loaded] };
}

/**
 * Timers moved by hand, for a hub's order stage (`orderTimers`): `advance` runs what falls due, in
 * order. An order window on real timers is a race with everything slower than it (a loaded
 * machine can take longer than the window between two callbacks); on these, time moves only when
 * the test says.
 */
export const manualTimers = () => {
  let time = 0, next = 0;
  const due = new Map<number, { at: number; wake: () => void }>();
  const timers: OrderTimers & { advance(ms: number): void } = {
    now: () => time,
    set(wake, ms) {
      due.set(++next, { at: time + ms, wake });
      return next;
    },
    clear: (timer) => void due.delete(timer as number),
    advance(ms) {
      const end = time + ms;
      for (;;) {
        const [id, first] = [...due].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (!first || first.at > end) break;
        due.delete(id!);
        time = first.at;
        first.wake();
      }
      time = end;
    },
  };
  return timers;
};

/**
 * A gateway's `upstream` option in front of an in-process simulator (no socket), and how many
 * requests reached it.
 */
export function countingUpstream(
  simulator: { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> },
  credentials: { accessKey: string; secretKey: string },
) {
  let requests = 0;
  return {
    upstream: {
      ...credentials,
      endpoint: "http://upstream.test",
      fetch: (input: RequestInfo | URL, init?: RequestInit) => {
        requests++;
        return simulator.fetch(input, init);
      },
    },
    requests: () => requests,
  };
}
