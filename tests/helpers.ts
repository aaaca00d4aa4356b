/** Shared test helpers: a recording fetch double and canned responses. */

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
