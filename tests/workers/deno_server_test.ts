// The bounded server of the self-hosted entry (workers/deno_server.ts): what reaches the handler
// (the client's address, bodies, aborts), what it leaves alone (keep-alive, streamed responses,
// half-closed clients), what it cuts (idle and slow connections, connections past the limit),
// and that it outlives running out of descriptors. All on 127.0.0.1; every wait on a socket
// event has a deadline that only bounds a hang.
import assert from "node:assert/strict";
import { type BoundedServeOptions, serveBounded } from "../../workers/deno_server.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const DEADLINE_MS = 10_000;

const bounds = (overrides: Partial<BoundedServeOptions> = {}): BoundedServeOptions => ({
  hostname: "127.0.0.1",
  port: 0,
  headerTimeoutMs: 300,
  bodyTimeoutMs: 300,
  maxConnections: 50,
  log: () => {},
  ...overrides,
});

/** Resolves with `promise`, or rejects after `ms` (a bound on a hang). */
function within<T>(promise: Promise<T>, ms = DEADLINE_MS, what = "the event"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reads from `conn` until it is closed; resolves with everything read. */
async function readToClose(conn: Deno.Conn): Promise<string> {
  const buffer = new Uint8Array(4_096);
  let text = "";
  try {
    for (let n; (n = await conn.read(buffer)) !== null;) {
      text += decoder.decode(buffer.subarray(0, n));
    }
  } catch {
    // Reset: closed as well.
  }
  return text;
}

/** Reads from `conn` until `text` has arrived; resolves with everything read. */
async function readUntil(conn: Deno.Conn, text: string): Promise<string> {
  const buffer = new Uint8Array(4_096);
  let read = "";
  while (!read.includes(text)) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error(`closed before ${JSON.stringify(text)}; read ${read}`);
    read += decoder.decode(buffer.subarray(0, n));
  }
  return read;
}

const send = (conn: Deno.Conn, text: string) => conn.write(encoder.encode(text));
const connect = (server: { addr: Deno.NetAddr }) =>
  Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
const tryClose = (conn: Deno.Conn) => {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
};

Deno.test("serveBounded: the handler sees the client's address and the request as sent", async () => {
  let seen: {
    addr?: Deno.NetAddr;
    body?: string;
    url?: string;
    method?: string;
    headers?: [string, string][];
  } = {};
  const server = serveBounded(bounds(), async (request, info) => {
    seen = {
      addr: info.remoteAddr,
      body: await request.text(),
      url: request.url,
      method: request.method,
      headers: [...request.headers],
    };
    return new Response("x".repeat(100_000), { headers: { "x-answer": "1" } });
  });
  const conn = await connect(server);
  try {
    const body = "b".repeat(50_000); // several relay buffers
    await send(
      conn,
      `POST /path?q=1 HTTP/1.1\r\nHost: gw.example\r\nX-Cnc-Auth: sig\r\n` +
        `Content-Length: ${body.length}\r\n\r\n${body}`,
    );
    const answer = await within(readUntil(conn, "x".repeat(1_000)));
    assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(answer, /x-answer: 1/);
    assert.equal(seen.body, body);
    assert.equal(seen.url, "http://gw.example/path?q=1");
    assert.equal(seen.method, "POST");
    assert.deepEqual(seen.headers, [
      ["content-length", String(body.length)],
      ["host", "gw.example"],
      ["x-cnc-auth", "sig"],
    ], "the headers as sent, none added");
    assert.equal(seen.addr?.hostname, "127.0.0.1");
    assert.equal(seen.addr?.port, (conn.localAddr as Deno.NetAddr).port, "the client's port");
  } finally {
    tryClose(conn);
    await server.shutdown();
  }
});

Deno.test("serveBounded: keep-alive requests are answered in turn; an idle connection is closed at the header bound", async () => {
  let calls = 0;
  const server = serveBounded(bounds(), () => new Response(`call ${++calls}`));
  const conn = await connect(server);
  try {
    // The bound runs from the end of the second answer, which comes after the second request is
    // sent: timed from the send, the wait is at least the bound however late the answer is read
    // (timed from the read, an answer read late on a loaded machine would make it look short).
    let idle = 0;
    for (const n of [1, 2]) {
      idle = Date.now();
      await send(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      await within(readUntil(conn, `call ${n}`));
    }
    assert.equal(await within(readToClose(conn)), "", "closed without another answer");
    assert.ok(Date.now() - idle >= 150, "not before the bound");
    assert.equal(server.connections(), 0);
  } finally {
    tryClose(conn);
    await server.shutdown();
  }
});

Deno.test("serveBounded: a response streamed for longer than both bounds is not cut", async () => {
  const server = serveBounded(bounds({ headerTimeoutMs: 100, bodyTimeoutMs: 100 }), () => {
    let n = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (++n > 10) return controller.close();
        controller.enqueue(encoder.encode(`tick ${n}\n`));
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  const conn = await connect(server);
  try {
    await send(conn, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
    const read = await within(readUntil(conn, "tick 10\n"));
    assert.match(read, /tick 1\n[\s\S]*tick 10\n/);
  } finally {
    tryClose(conn);
    await server.shutdown();
  }
});

Deno.test("serveBounded: a body sent too slowly is cut at the body bound, and the handler's read fails", async () => {
  let failure: unknown;
  const read = Promise.withResolvers<void>();
  const server = serveBounded(bounds(), async (request) => {
    try {
      await request.text();
    } catch (error) {
      failure = error;
    } finally {
      read.resolve();
    }
    return new Response("read");
  });
  const conn = await connect(server);
  try {
    await send(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
    const started = Date.now();
    assert.equal(await within(readToClose(conn)), "", "closed, never answered");
    assert.ok(Date.now() - started >= 150, "not before the bound");
    await within(read.promise);
    assert.ok(failure, "the body read failed");
  } finally {
    tryClose(conn);
    await server.shutdown();
  }
});

Deno.test("serveBounded: a client that goes away aborts its request's signal, not before", async () => {
  const aborted = Promise.withResolvers<void>();
  const started = Promise.withResolvers<void>();
  let gone = false;
  let abortedEarly = false;
  const server = serveBounded(bounds(), async (request) => {
    request.signal.addEventListener("abort", () => {
      abortedEarly = !gone;
      aborted.resolve();
    });
    await request.text();
    started.resolve();
    return new Response(new ReadableStream({ pull: () => new Promise(() => {}) }));
  });
  const conn = await connect(server);
  try {
    await send(conn, "POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
    await within(started.promise);
    await within(readUntil(conn, "\r\n\r\n"));
    gone = true;
    conn.close();
    await within(aborted.promise, DEADLINE_MS, "the abort");
    assert.equal(abortedEarly, false, "aborted only once the client had gone");
  } finally {
    tryClose(conn);
    await server.shutdown();
  }
});

Deno.test("serveBounded: a client that half-closes is gone, as for Deno.serve: its request's signal aborts", async () => {
  const aborted = Promise.withResolvers<void>();
  const started = Promise.withResolvers<void>();
  const server = serveBounded(bounds({ headerTimeoutMs: 60_000 }), async (request) => {
    request.signal.addEventListener("abort", () => aborted.resolve());
    await request.text();
    started.resolve();
    await aborted.promise;
    return new Response("too late");
  });
  const conn = await connect(server);
  try {
    await send(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
    await within(started.promise);
    await conn.closeWrite();
    await within(aborted.promise, DEADLINE_MS, "the abort");
    assert.equal(await within(readToClose(conn)), "");
    assert.equal(server.connections(), 0);
  } finally {
    tryClose(conn);
    await server.shutdown();
  }
});

Deno.test("serveBounded: past maxConnections new connections are closed at once, and accepted again once some end", async () => {
  const server = serveBounded(
    bounds({ maxConnections: 2, headerTimeoutMs: 60_000, bodyTimeoutMs: 60_000 }),
    () => new Response("ok"),
  );
  const held = [await connect(server), await connect(server)];
  const conns = [...held];
  try {
    // The first two are counted once accepted: a request answered on each proves it.
    for (const conn of held) {
      await send(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      await within(readUntil(conn, "ok"));
    }
    assert.equal(server.connections(), 2);
    const third = await connect(server);
    conns.push(third);
    await send(third, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").catch(() => 0);
    assert.equal(await within(readToClose(third)), "", "closed unanswered");
    held[0].close();
    // Once the server has seen the close, a new connection is served.
    let answered = "";
    for (let i = 0; i < 100 && !answered.includes("ok"); i++) {
      const next = await connect(server);
      conns.push(next);
      await send(next, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").catch(() => 0);
      answered = await within(readToClose(next));
    }
    assert.match(answered, /ok/);
  } finally {
    conns.forEach(tryClose);
    await server.shutdown();
  }
});

Deno.test("serveBounded: shutdown closes every connection and settles finished", async () => {
  const server = serveBounded(
    bounds({ headerTimeoutMs: 60_000 }),
    () => new Response("ok"),
  );
  const conn = await connect(server);
  try {
    await send(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await within(readUntil(conn, "ok"));
    await within(server.shutdown());
    await within(server.finished);
    assert.equal(await within(readToClose(conn)), "");
    await assert.rejects(connect(server));
  } finally {
    tryClose(conn);
  }
});

Deno.test({
  name: "serveBounded: out of descriptors (limit set far past `ulimit -n 256`) it keeps " +
    "running and serves again",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const module = new URL("../../workers/deno_server.ts", import.meta.url).href;
    const script = `
      import { serveBounded } from ${JSON.stringify(module)};
      serveBounded({
        hostname: "127.0.0.1", port: 0, headerTimeoutMs: 1000, bodyTimeoutMs: 1000,
        maxConnections: 100000, log: (m) => console.error(m),
        onListen: ({ port }) => console.log("port " + port),
      }, () => new Response("up"));`;
    const deno = `'${Deno.execPath().replaceAll("'", `'\\''`)}'`;
    const child = new Deno.Command("bash", {
      args: ["-c", `ulimit -n 256 && exec ${deno} eval --quiet "$0"`, script],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
    let exited: Deno.CommandStatus | undefined;
    const status = child.status.then((s) => exited = s);
    const stderr: string[] = [];
    const collecting = (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        stderr.push(chunk);
      }
    })();
    const stdout = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const conns: Deno.Conn[] = [];
    try {
      let printed = "";
      while (!/port \d+/.test(printed)) {
        const { value, done } = await within(stdout.read());
        if (done) throw new Error(`exited: ${stderr.join("")}`);
        printed += value;
      }
      const port = Number(/port (\d+)/.exec(printed)![1]);
      for (let i = 0; i < 400; i++) {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port }).catch(() => undefined);
        if (!conn) continue;
        conns.push(conn);
        await send(conn, "GET / HTTP/1.1\r\nHost: x\r\n").catch(() => 0);
      }
      assert.equal(exited, undefined, stderr.join(""));
      await within(
        Promise.all(conns.map(readToClose)),
        30_000,
        "every half-sent connection closed",
      );
      conns.forEach(tryClose);
      conns.length = 0;
      let answer = "";
      for (let i = 0; i < 300 && !answer.includes("up"); i++) {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        conns.push(conn);
        await send(conn, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").catch(() => 0);
        answer = await within(readToClose(conn));
        if (!answer) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.match(answer, /up/);
      assert.equal(exited, undefined, stderr.join(""));
      assert.match(stderr.join(""), /Too many open files/, "it ran out, and said so");
    } finally {
      conns.forEach(tryClose);
      if (!exited) child.kill("SIGTERM");
      await status;
      await stdout.cancel();
      await collecting;
    }
  },
});

Deno.test("serveBounded: pipelined requests with length and chunked bodies (with trailers) each reach the handler with the client's address", async () => {
  const seen: string[] = [];
  const server = serveBounded(bounds(), async (request, info) => {
    const body = await request.text();
    seen.push(`${request.method} ${new URL(request.url).pathname} ${body} ${info.remoteAddr.port}`);
    assert.equal(request.headers.has("x-gateway-relay"), false, "the relay's header is taken off");
    return new Response(`done ${seen.length}\n`);
  });
  const conn = await connect(server);
  try {
    const port = (conn.localAddr as Deno.NetAddr).port;
    // A chunked body whose data looks like a request head, split across writes mid-line.
    const pieces = [
      "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
      "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
      "1a\r\nGET /smuggled HTTP/1.1\r\n\r\n\r\n",
      "0\r\nX-Trailer: t\r\n\r\n\r\nGET /c HTTP/1.1\r\nHo",
      "st: x\r\n\r\n",
    ];
    for (const piece of pieces) await send(conn, piece);
    await within(readUntil(conn, "done 3\n"));
    assert.deepEqual(seen, [
      `POST /a hello ${port}`,
      `POST /b GET /smuggled HTTP/1.1\r\n\r\n ${port}`,
      `GET /c  ${port}`,
    ]);
  } finally {
    tryClose(conn);
    await server.shutdown();
  }
});

Deno.test("serveBounded: a client's own x-gateway-relay header gets 421, never a match", async () => {
  let calls = 0;
  const server = serveBounded(bounds(), () => new Response(`call ${++calls}`));
  const conn = await connect(server);
  try {
    await send(conn, "GET / HTTP/1.1\r\nHost: x\r\nX-Gateway-Relay: 0123456789abcdef\r\n\r\n");
    assert.match(await within(readUntil(conn, "\r\n\r\n")), /^HTTP\/1\.1 421 /);
    assert.equal(calls, 0);
  } finally {
    tryClose(conn);
    await server.shutdown();
  }
});

Deno.test("serveBounded: HTTP/2 prior knowledge (which would pass the relay's header by) is closed unanswered", async () => {
  let calls = 0;
  const server = serveBounded(
    bounds({ headerTimeoutMs: 60_000 }),
    () => new Response(`h2 ${++calls}`),
  );
  const conn = await connect(server);
  try {
    await send(conn, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00");
    assert.equal(await within(readToClose(conn)), "", "closed without an answer");
    assert.equal(calls, 0);
  } finally {
    tryClose(conn);
    await server.shutdown();
  }
});

Deno.test("serveBounded: the inner server listens on no TCP port, on a socket in a directory only this user may enter, removed at shutdown", async () => {
  const before = Deno.build.os == "linux" ? unixSockets() : new Set<string>();
  const server = serveBounded(bounds(), () => new Response("ok"));
  try {
    if (Deno.build.os != "linux") return;
    const added = [...unixSockets()].filter((path) => !before.has(path));
    assert.equal(added.length, 1, `one new socket: ${added}`);
    const dir = added[0].slice(0, added[0].lastIndexOf("/"));
    assert.equal(Deno.statSync(dir).mode! & 0o777, 0o700);
    await server.shutdown();
    assert.throws(() => Deno.statSync(dir), Deno.errors.NotFound);
  } finally {
    await server.shutdown();
  }
});

/** Paths of the listening Unix sockets of this process. */
function unixSockets(): Set<string> {
  const inodes = new Set<string>();
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(Deno.readLinkSync(`/proc/self/fd/${entry.name}`));
      if (inode) inodes.add(inode[1]);
    } catch {
      // Closed meanwhile.
    }
  }
  const paths = new Set<string>();
  for (const line of Deno.readTextFileSync("/proc/self/net/unix").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    // Flags 00010000 is __SO_ACCEPTCON: listening.
    if (fields[3] == "00010000" && inodes.has(fields[6]) && fields[7]?.startsWith("/")) {
      paths.add(fields[7]);
    }
  }
  return paths;
}
