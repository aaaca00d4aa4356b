// Headless Debian Chromium for the browser tests: installed with apt when missing, started with
// the flags this machine needs and a throwaway profile.
import { ensureDebianPackage } from "../../scripts/debian.ts";
import { until } from "../helpers.ts";

/**
 * How long start-up and `until` wait by default: bounds a hang (a busy machine can take many
 * seconds to start a browser), never a latency target.
 */
export const HANG_BOUND_MS = 60_000;

/** Where Debian installs it. */
export const CHROMIUM = "/usr/bin/chromium";

/** Installs Chromium with apt-get when it is not there yet. */
export const ensureChromium = (): Promise<void> => ensureDebianPackage(CHROMIUM, "chromium");

/** The flags every run uses, with a profile folder of its own. */
export const chromiumFlags = (profile: string): string[] => [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--user-data-dir=${profile}`,
];

/** Opens `url` in headless Chromium; `close()` ends it and removes its profile. */
export async function openChromium(url: string, extraFlags: string[] = []) {
  await ensureChromium();
  const profile = await Deno.makeTempDir({ prefix: "wangsu-chromium-" });
  const child = new Deno.Command(CHROMIUM, {
    args: [...chromiumFlags(profile), ...extraFlags, url],
    stdout: "null",
    stderr: "null",
  }).spawn();
  return {
    async close() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
      await child.status;
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

/** Options of {@link openChromiumDriven}. */
export interface DrivenOptions {
  /** More command-line flags, e.g. `--host-resolver-rules=...`. */
  flags?: string[];
  /** Script run in every document before the page's own scripts (not subject to its CSP). */
  initScript?: string;
}

/**
 * Opens `url` in headless Chromium driven over the DevTools protocol: `evaluate` runs an
 * expression in the page (awaiting promises) and returns its value, `screenshot` a PNG.
 */
export async function openChromiumDriven(url: string, options: DrivenOptions = {}) {
  await ensureChromium();
  const profile = await Deno.makeTempDir({ prefix: "wangsu-chromium-" });
  const child = new Deno.Command(CHROMIUM, {
    args: [
      ...chromiumFlags(profile),
      ...(options.flags ?? []),
      "--remote-debugging-port=0",
      "--window-size=1280,1600",
      "about:blank",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const port = await until(
    async () => {
      const text = await Deno.readTextFile(`${profile}/DevToolsActivePort`).catch(() => "");
      return Number(text.split("\n")[0]) || 0;
    },
    "Chromium to open its DevTools port",
    { deadlineMs: HANG_BOUND_MS, everyMs: 50 },
  );
  const target: { type: string; webSocketDebuggerUrl: string } = await until(
    async () => {
      const list = await fetch(`http://127.0.0.1:${port}/json/list`).then((r) => r.json());
      return list.find((t: { type: string }) => t.type == "page");
    },
    "Chromium's page target",
    { deadlineMs: HANG_BOUND_MS, everyMs: 50 },
  );
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let next = 0;
  const pending = new Map<number, (message: Record<string, unknown>) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  };
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  // The init script is registered before the page loads, so it sees everything the page does.
  await send("Page.enable");
  if (options.initScript) {
    await send("Page.addScriptToEvaluateOnNewDocument", { source: options.initScript });
  }
  await send("Page.navigate", { url });
  return {
    async evaluate(expression: string): Promise<unknown> {
      const reply = await send("Runtime.evaluate", {
        expression,
        awaitPromise: true,
        returnByValue: true,
      });
      const result = reply.result as { result?: { value?: unknown }; exceptionDetails?: unknown };
      if (result?.exceptionDetails) throw new Error(JSON.stringify(result.exceptionDetails));
      return result?.result?.value;
    },
    /**
     * Polls `expression` until it is truthy (or `ms` pass: a bound on a hang); returns its last
     * value.
     */
    async until(expression: string, ms = HANG_BOUND_MS): Promise<unknown> {
      const deadline = Date.now() + ms;
      let value: unknown;
      while (Date.now() < deadline) {
        value = await this.evaluate(expression).catch(() => undefined);
        if (value) return value;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return value;
    },
    async screenshot(): Promise<Uint8Array> {
      const reply = await send("Page.captureScreenshot", { format: "png" });
      const data = (reply.result as { data: string }).data;
      return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    },
    async close() {
      socket.close();
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
      await child.status;
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}
