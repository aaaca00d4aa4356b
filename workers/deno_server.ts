/**
 * A `Deno.serve` whose connections are bounded, for the self-hosted entry (`workers/deno.ts`).
 *
 * `Deno.serve` (Deno 2.9) has no header or body timeout and no connection limit, and its accept
 * loop throws on `EMFILE`, which ends the process: a few thousand connections that each send half
 * a request head take a server down without credentials. So connections are accepted here, with
 * `Deno.listen`, and each is relayed byte for byte to a `Deno.serve` on a loopback port that only
 * this process connects to; hyper still parses every request. This side:
 *
 * - refuses a connection at once (closes it) while `maxConnections` are open;
 * - closes a connection whose next request head is not complete within `headerTimeoutMs` of its
 *   opening or of the end of its previous response (idle keep-alive connections included);
 * - closes a connection whose request body is not read to its end within `bodyTimeoutMs` of the
 *   head (a response being streamed, such as `/events`, is not bounded here);
 * - survives `accept` failing (out of descriptors): it retries with a growing pause and logs it,
 *   where `Deno.serve` would exit.
 *
 * The handler sees the client's address in `info.remoteAddr`, not the relay's. A request with a
 * body reaches it as a copy (same URL, method and headers) whose body is watched and whose
 * `signal` aborts when the client goes away or the response cannot be delivered (not, as with
 * Deno's legacy default, on success). Requests to the loopback port from anything but the relay
 * are refused (421). Each connection holds three descriptors (the client's and both ends of the
 * relay): keep `maxConnections` under a quarter of the open-file limit, leaving room for upstream
 * connections. The relay costs about 0.05 ms of CPU per request over `Deno.serve`.
 *
 * @module
 */

/** Bounds and address of {@link serveBounded}. */
export interface BoundedServeOptions {
  /** Address to listen on (default `0.0.0.0`). */
  hostname?: string;
  /** Port to listen on; 0 picks a free one (default 8787). */
  port?: number;
  /** Longest wait for a complete request head, from the connection's opening or its last response. */
  headerTimeoutMs: number;
  /** Longest wait for a request body to be read to its end, from its head. */
  bodyTimeoutMs: number;
  /** Most connections open at once; more are closed as they arrive. */
  maxConnections: number;
  /** Stops the server when aborted, as {@link BoundedServer.shutdown} does. */
  signal?: AbortSignal;
  /** Called once listening, with the address. */
  onListen?: (addr: Deno.NetAddr) => void;
  /** Answers a request whose handler threw (as in `Deno.serve`). */
  onError?: (error: unknown) => Response | Promise<Response>;
  /** Where operational messages go (accept failures, the connection limit reached); default stderr. */
  log?: (message: string) => void;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
}

/** A running {@link serveBounded} server. */
export interface BoundedServer {
  /** The address it listens on. */
  addr: Deno.NetAddr;
  /** Settles once the server has stopped. */
  finished: Promise<void>;
  /** Connections open now. */
  connections(): number;
  /** Stops accepting, closes every connection, and resolves once stopped. */
  shutdown(): Promise<void>;
}

/** One client connection and what it is waiting for. */
interface Relay {
  client: Deno.TcpConn;
  remoteAddr: Deno.NetAddr;
  /** The inner server it is relayed to, and the relay's connection to it, once connected. */
  inner?: Inner;
  conn?: Deno.TcpConn;
  /** The local port of `conn`: how the inner server names this relay. */
  port?: number;
  /** Requests whose response has not been sent yet. */
  active: number;
  /** Request bodies not yet read to their end. */
  bodies: number;
  /** Signals of the requests with a body still in hand, aborted when the connection closes. */
  aborts: Set<AbortController>;
  /** When this connection is closed unless its state moves on (ms, `Infinity` for never). */
  deadline: number;
  closed: boolean;
}

/** The loopback `Deno.serve` that parses the relayed requests, and its relays by port. */
interface Inner {
  server: Deno.HttpServer<Deno.NetAddr>;
  port: number;
  relays: Map<number, Relay>;
}

const LOOPBACK = "127.0.0.1";
const BUFFER_BYTES = 16 * 1024;
/** How often a repeated operational message may be logged. */
const LOG_EVERY_MS = 10_000;
/** The pause before the inner server is started again after it failed. */
const RESTART_MS = 100;

/**
 * Serves `handler` over HTTP with bounded connections (see the module documentation).
 *
 * @param options Address and bounds.
 * @param handler As for `Deno.serve`; `info.remoteAddr` is the client's address.
 * @returns The running server.
 */
export function serveBounded(
  options: BoundedServeOptions,
  handler: Deno.ServeHandler<Deno.NetAddr>,
): BoundedServer {
  const { headerTimeoutMs, bodyTimeoutMs, maxConnections } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message: string) => console.error(message));
  const lastLogged = new Map<string, number>();
  const logNow = (kind: string, message: string) => {
    const at = now();
    if (at - (lastLogged.get(kind) ?? -Infinity) < LOG_EVERY_MS) return;
    lastLogged.set(kind, at);
    log(message);
  };

  /** Every open connection, connected to the inner server or not yet. */
  const relays = new Set<Relay>();
  let inner: Inner | undefined;
  let stopping = false;

  const close = (relay: Relay) => {
    if (relay.closed) return;
    relay.closed = true;
    relays.delete(relay);
    if (relay.port !== undefined) relay.inner?.relays.delete(relay.port);
    for (const conn of [relay.client, relay.conn]) {
      try {
        conn?.close();
      } catch {
        // Already closed.
      }
    }
    for (const aborter of relay.aborts) aborter.abort();
    relay.aborts.clear();
  };

  /** Sets a relay's deadline for its current state. */
  const settle = (relay: Relay) => {
    relay.deadline = relay.bodies > 0
      ? Math.min(relay.deadline, now() + bodyTimeoutMs)
      : relay.active > 0
      ? Infinity
      : now() + headerTimeoutMs;
  };

  /** Hands a request parsed by the inner server to `handler`, keeping its relay's state. */
  const answer = (
    home: Map<number, Relay>,
    request: Request,
    info: Deno.ServeHandlerInfo<Deno.NetAddr>,
  ) => {
    const relay = home.get(info.remoteAddr.port);
    if (!relay || relay.closed || info.remoteAddr.hostname != LOOPBACK) {
      return new Response("Misdirected Request\n", { status: 421 });
    }
    relay.active++;
    let bodyOpen = false;
    let aborter: AbortController | undefined;
    const bodyDone = () => {
      if (!bodyOpen) return;
      bodyOpen = false;
      relay.bodies--;
      settle(relay);
    };
    const finish = (error?: unknown) => {
      bodyDone();
      relay.active--;
      settle(relay);
      if (!aborter) return;
      relay.aborts.delete(aborter);
      if (error) aborter.abort(error);
    };
    if (request.body) {
      bodyOpen = true;
      relay.bodies++;
      relay.deadline = now() + bodyTimeoutMs;
      // A new request around the watched body, with its own signal (reading the original's would
      // opt in to Deno's legacy abort-on-success, and print a warning).
      aborter = new AbortController();
      relay.aborts.add(aborter);
      request = new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: watchedBody(request.body, bodyDone),
        signal: aborter.signal,
      });
    } else {
      settle(relay);
    }
    info.completed.then(() => finish(), (error) => finish(error ?? new Error("not delivered")));
    return handler(request, { remoteAddr: relay.remoteAddr, completed: info.completed });
  };

  /**
   * Starts the inner server. `Deno.serve` ends (its `finished` rejects) when its own accept fails
   * for want of descriptors; it is then started again on a new port, and the connections relayed
   * to the old one, which it no longer serves, are closed.
   */
  const startInner = () => {
    if (stopping) return;
    const home = new Map<number, Relay>();
    let server: Deno.HttpServer<Deno.NetAddr>;
    try {
      server = Deno.serve({
        hostname: LOOPBACK,
        port: 0,
        onListen() {},
        onError: options.onError,
      }, (request, info) => answer(home, request, info));
    } catch (error) {
      logNow("inner", `gateway: could not start the HTTP server (${(error as Error).message})`);
      setTimeout(startInner, RESTART_MS);
      return;
    }
    const current: Inner = { server, port: server.addr.port, relays: home };
    inner = current;
    server.finished.catch((error) => {
      if (inner === current) inner = undefined;
      for (const relay of [...home.values()]) close(relay);
      if (stopping) return;
      logNow("inner", `gateway: the HTTP server stopped (${error.message}); starting it again`);
      setTimeout(startInner, RESTART_MS);
    });
  };
  startInner();

  /** Relays one accepted connection to the inner server until either side ends. */
  const relayConnection = async (client: Deno.TcpConn) => {
    const relay: Relay = {
      client,
      remoteAddr: client.remoteAddr,
      active: 0,
      bodies: 0,
      aborts: new Set(),
      deadline: now() + headerTimeoutMs,
      closed: false,
    };
    relays.add(relay);
    const home = inner;
    if (!home) return close(relay);
    let conn: Deno.TcpConn;
    try {
      conn = await Deno.connect({ hostname: LOOPBACK, port: home.port });
    } catch (error) {
      logNow("relay", `gateway: could not relay a connection (${(error as Error).message})`);
      return close(relay);
    }
    if (relay.closed) {
      // Closed while connecting (its deadline passed, or shutdown).
      try {
        conn.close();
      } catch {
        // Already closed.
      }
      return;
    }
    relay.conn = conn;
    relay.inner = home;
    relay.port = (conn.localAddr as Deno.NetAddr).port;
    home.relays.set(relay.port, relay);
    for (const socket of [client, conn]) {
      try {
        socket.setNoDelay(true);
      } catch {
        // Closed already: the copies below end at once.
      }
    }
    // Either side's end (or failure) ends both, as `Deno.serve` treats a client's half-close as
    // its going away: the handler's request signal aborts.
    await Promise.all(
      [copy(client, conn), copy(conn, client)].map((copied) => copied.then(() => close(relay))),
    );
  };

  const sweep = setInterval(() => {
    const at = now();
    for (const relay of relays) if (relay.deadline < at) close(relay);
  }, Math.min(1_000, Math.max(10, Math.min(headerTimeoutMs, bodyTimeoutMs) / 4)));

  const listener = Deno.listen({
    hostname: options.hostname ?? "0.0.0.0",
    port: options.port ?? 8787,
  });
  const addr = listener.addr as Deno.NetAddr;

  const accepting = (async () => {
    let pause = 0;
    while (!stopping) {
      let client: Deno.TcpConn;
      try {
        client = await listener.accept();
        pause = 0;
      } catch (error) {
        if (stopping) break;
        // Out of descriptors, or a connection reset before it was accepted: wait, then go on.
        pause = Math.min(1_000, pause ? pause * 2 : 10);
        logNow(
          "accept",
          `gateway: accept failed (${(error as Error).message}) with ${relays.size} ` +
            "connections open; retrying",
        );
        await new Promise((resolve) => setTimeout(resolve, pause));
        continue;
      }
      if (relays.size >= maxConnections) {
        logNow(
          "limit",
          `gateway: ${relays.size} connections open, the most allowed; closing new ones ` +
            "until some end",
        );
        try {
          client.close();
        } catch {
          // Already closed.
        }
        continue;
      }
      relayConnection(client);
    }
  })();

  let stopped: Promise<void> | undefined;
  const shutdown = () =>
    stopped ??= (async () => {
      stopping = true;
      clearInterval(sweep);
      try {
        listener.close();
      } catch {
        // Already closed.
      }
      await accepting;
      for (const relay of [...relays]) close(relay);
      await inner?.server.shutdown();
    })();
  options.signal?.addEventListener("abort", () => shutdown(), { once: true });
  if (options.signal?.aborted) shutdown();
  options.onListen?.(addr);

  return {
    addr,
    finished: accepting.then(() => stopped),
    connections: () => relays.size,
    shutdown,
  };
}

/** Copies `from` to `to` until `from` ends or either side fails. */
async function copy(from: Deno.Conn, to: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(BUFFER_BYTES);
  try {
    for (;;) {
      const read = await from.read(buffer);
      if (read === null) return;
      for (let written = 0; written < read;) {
        written += await to.write(buffer.subarray(written, read));
      }
    }
  } catch {
    // Reset or closed: the caller closes both sides.
  }
}

/** `body`, calling `done` once it has been read to its end, has failed, or was cancelled. */
function watchedBody(
  body: ReadableStream<Uint8Array>,
  done: () => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done: ended } = await reader.read();
        if (ended) {
          done();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
