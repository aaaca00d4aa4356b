/**
 * A `Deno.serve` whose connections are bounded, for the self-hosted entry (`workers/deno.ts`).
 *
 * `Deno.serve` (Deno 2.9) has no header or body timeout and no connection limit, and its accept
 * loop throws on `EMFILE`, which ends the process: a few thousand connections that each send half
 * a request head take a server down without credentials. So connections are accepted here, with
 * `Deno.listen`, and each is relayed to a `Deno.serve` on a Unix socket in a fresh directory of
 * mode 0700 (removed at shutdown), so that no other user's process can reach it past these
 * bounds; hyper still parses every request. This side:
 *
 * - refuses a connection at once (closes it) while `maxConnections` are open;
 * - closes a connection whose next request head is not complete within `headerTimeoutMs` of its
 *   opening or of the end of its previous response (idle keep-alive connections included);
 * - closes a connection whose request body is not read to its end within `bodyTimeoutMs` of the
 *   head (a response being streamed, such as `/events`, is not bounded here);
 * - closes a connection whose request head is longer than 64 KiB, is not HTTP/1.0 or HTTP/1.1
 *   (HTTP/2 prior knowledge included), or whose body framing it cannot follow;
 * - survives `accept` failing (out of descriptors): it retries with a growing pause and logs it,
 *   where `Deno.serve` would exit; an inner server that stopped for want of descriptors is shut
 *   down and replaced.
 *
 * The relay follows each connection's HTTP/1.1 framing (lengths and chunked bodies) and adds to
 * every request head an `x-gateway-relay` header holding the connection's random 128-bit tag; the
 * inner handler finds the client by that tag and takes the header off. A request without exactly
 * one relay's tag (from anything but the relay, or carrying a client's own copy) is refused (421).
 * The handler sees the client's address in `info.remoteAddr`, and a copy of the request (same
 * URL, method and headers, less the tag) whose body is watched and whose `signal` aborts when the
 * client goes away or the response cannot be delivered (not, as with Deno's legacy default, on
 * success). Each connection holds three descriptors (the client's and both ends of the relay):
 * keep `maxConnections` under a quarter of the open-file limit, leaving room for upstream
 * connections. Needs write permission to the temporary directory (`Deno.makeTempDir`).
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
  /** The random value of the header this relay adds to each request head it passes on. */
  tag: string;
  /** The inner server it is relayed to, and the relay's connection to it, once connected. */
  inner?: Inner;
  conn?: Deno.Conn;
  /** Requests whose response has not been sent yet. */
  active: number;
  /** Request bodies not yet read to their end. */
  bodies: number;
  /** Signals of the requests not yet answered, aborted when the connection closes. */
  aborts: Set<AbortController>;
  /** When this connection is closed unless its state moves on (ms, `Infinity` for never). */
  deadline: number;
  closed: boolean;
}

/** The `Deno.serve` on a Unix socket that parses the relayed requests, and its relays by tag. */
interface Inner {
  server: Deno.HttpServer<Deno.UnixAddr>;
  path: string;
  relays: Map<string, Relay>;
}

/**
 * The header the relay adds to every request head it passes on, valued with its connection's
 * random tag; the inner server's handler takes it off again.
 */
const RELAY_HEADER = "x-gateway-relay";
const BUFFER_BYTES = 16 * 1024;
/** The longest request head the relay passes on (a longer one closes the connection). */
const MAX_HEAD_BYTES = 64 * 1024;
/** The longest chunk-size or trailer line of a chunked body the relay passes on. */
const MAX_LINE_BYTES = 16 * 1024;
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
  // Only this user's processes may enter the directory, and so reach the inner server's socket.
  const socketDir = Deno.makeTempDirSync({ prefix: "gateway-" });
  Deno.chmodSync(socketDir, 0o700);
  let started = 0;

  const close = (relay: Relay) => {
    if (relay.closed) return;
    relay.closed = true;
    relays.delete(relay);
    relay.inner?.relays.delete(relay.tag);
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
    home: Map<string, Relay>,
    request: Request,
    info: Deno.ServeHandlerInfo<Deno.UnixAddr>,
  ) => {
    // The whole value must be one relay's tag: a client's own copy of the header makes it fail.
    const relay = home.get(request.headers.get(RELAY_HEADER) ?? "");
    if (!relay || relay.closed) return new Response("Misdirected Request\n", { status: 421 });
    relay.active++;
    let bodyOpen = false;
    const bodyDone = () => {
      if (!bodyOpen) return;
      bodyOpen = false;
      relay.bodies--;
      settle(relay);
    };
    // A new request without the relay's header, with the client's URL scheme, a watched body,
    // and its own signal (reading the original's would opt in to Deno's legacy abort-on-success,
    // and print a warning).
    const aborter = new AbortController();
    relay.aborts.add(aborter);
    const finish = (error?: unknown) => {
      bodyDone();
      relay.active--;
      settle(relay);
      relay.aborts.delete(aborter);
      if (error) aborter.abort(error);
    };
    const headers = new Headers(request.headers);
    headers.delete(RELAY_HEADER);
    let body: ReadableStream<Uint8Array> | null = null;
    if (request.body) {
      bodyOpen = true;
      relay.bodies++;
      relay.deadline = now() + bodyTimeoutMs;
      body = watchedBody(request.body, bodyDone);
    } else {
      settle(relay);
    }
    const url = request.url.startsWith("http+unix:") ? `http${request.url.slice(9)}` : request.url;
    info.completed.then(() => finish(), (error) => finish(error ?? new Error("not delivered")));
    return handler(
      new Request(url, { method: request.method, headers, body, signal: aborter.signal }),
      {
        remoteAddr: relay.remoteAddr,
        completed: info.completed,
      },
    );
  };

  /** Stops a replaced or failed inner server and removes its socket (errors ignored). */
  const retire = (old: Inner) => {
    old.server.shutdown().catch(() => {}).finally(() => Deno.remove(old.path).catch(() => {}));
  };

  /**
   * Starts the inner server. `Deno.serve` ends (its `finished` rejects) when its own accept fails
   * for want of descriptors; it is then shut down and started again on a new socket, and the
   * connections relayed to the old one, which it no longer serves, are closed.
   */
  const startInner = () => {
    if (stopping) return;
    const home = new Map<string, Relay>();
    const path = `${socketDir}/inner-${++started}.sock`;
    let server: Deno.HttpServer<Deno.UnixAddr>;
    try {
      server = Deno.serve({
        path,
        onListen() {},
        onError: options.onError,
      }, (request, info) => answer(home, request, info));
    } catch (error) {
      logNow("inner", `gateway: could not start the HTTP server (${(error as Error).message})`);
      setTimeout(startInner, RESTART_MS);
      return;
    }
    const current: Inner = { server, path, relays: home };
    inner = current;
    server.finished.catch((error) => {
      if (inner === current) inner = undefined;
      for (const relay of [...home.values()]) close(relay);
      retire(current);
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
      tag: randomTag(),
      active: 0,
      bodies: 0,
      aborts: new Set(),
      deadline: now() + headerTimeoutMs,
      closed: false,
    };
    relays.add(relay);
    const home = inner;
    if (!home) return close(relay);
    let conn: Deno.Conn;
    try {
      conn = await Deno.connect({ transport: "unix", path: home.path });
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
    home.relays.set(relay.tag, relay);
    try {
      client.setNoDelay(true);
    } catch {
      // Closed already: the copies below end at once.
    }
    // Either side's end (or failure) ends both, as `Deno.serve` treats a client's half-close as
    // its going away: the handler's request signal aborts.
    const tagged = requestTagger(new TextEncoder().encode(`${RELAY_HEADER}: ${relay.tag}\r\n`));
    await Promise.all(
      [copy(client, conn, tagged), copy(conn, client)].map((copied) =>
        copied.then(() => close(relay))
      ),
    );
  };

  const sweep = setInterval(() => {
    const at = now();
    for (const relay of relays) if (relay.deadline < at) close(relay);
  }, Math.min(1_000, Math.max(10, Math.min(headerTimeoutMs, bodyTimeoutMs) / 4)));

  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({
      hostname: options.hostname ?? "0.0.0.0",
      port: options.port ?? 8787,
    });
  } catch (error) {
    stopping = true;
    clearInterval(sweep);
    if (inner) retire(inner);
    Deno.remove(socketDir, { recursive: true }).catch(() => {});
    throw error;
  }
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
      await inner?.server.shutdown().catch(() => {});
      await Deno.remove(socketDir, { recursive: true }).catch(() => {});
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

/** 128 random bits, in hex. */
function randomTag(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** What the relay expects next in a connection's request stream. */
type Expecting = "head" | "body" | "size" | "data" | "data-end" | "trailer";

/**
 * A transform of one connection's HTTP/1.1 request stream that inserts `line` (a header line)
 * before the final empty line of each request head, following the bodies' framing (length or
 * chunked, as hyper reads them) so that it finds every head of a keep-alive or pipelined
 * connection and nothing else. It returns the bytes to pass on (views of its input, or of its own
 * buffer: write them before the next call), or undefined when the connection must be closed: a
 * head longer than {@link MAX_HEAD_BYTES}, a request line that is not HTTP/1.0 or HTTP/1.1 (HTTP/2
 * prior knowledge, `PRI * HTTP/2.0`, would pass the header by), or a body framing that cannot be
 * followed (hyper refuses those too). Where hyper and this reading could differ on a malformed
 * stream, hyper ends the connection with an error, or a request it sees lacks the header (421):
 * the header names only this connection, so no reading can attribute a request to another.
 */
function requestTagger(line: Uint8Array): (chunk: Uint8Array) => Uint8Array | undefined {
  let expecting: Expecting = "head";
  /** Body or chunk bytes still to pass. */
  let left = 0;
  /** A head not yet complete, and how far it was searched (the start of its last line). */
  let held = new Uint8Array(0);
  let heldLength = 0;
  let searched = 0;
  let sawLine = false;
  /** Where the request line of the head being read starts. */
  let requestStartAt = 0;
  /** The current chunk-size line's start (for its number), and the current line's length. */
  let sizeText = "";
  let lineLength = 0;
  let lineLast = 0;

  const hold = (bytes: Uint8Array) => {
    if (heldLength + bytes.length > held.length) {
      const grown = new Uint8Array(Math.max(1_024, held.length * 2, heldLength + bytes.length));
      grown.set(held.subarray(0, heldLength));
      held = grown;
    }
    held.set(bytes, heldLength);
    heldLength += bytes.length;
  };

  /** Sets the framing that follows a complete head; false when the connection must close. */
  const framing = (head: Uint8Array, start: number, end: number): boolean => {
    const text = latin1(head.subarray(start, end));
    const lines = text.split("\n");
    // The request line: method, target and version, one space apart (anything else in the method
    // or target is hyper's to refuse).
    const parts = lines[0].replace(/\r$/, "").split(" ");
    const version = parts.length == 3 && parts[0] && parts[1]
      ? /^HTTP\/1\.([01])$/.exec(parts[2])?.[1]
      : undefined;
    if (version === undefined) return false;
    let transfer: string | undefined;
    let length: string | undefined;
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(":");
      if (colon < 0) continue;
      const name = lines[i].slice(0, colon).toLowerCase();
      if (name == "transfer-encoding") transfer = lines[i].slice(colon + 1);
      else if (name == "content-length") {
        for (const part of lines[i].slice(colon + 1).split(",")) {
          const value = part.replace(/^[ \t]+|[ \t\r]+$/g, "");
          if (!/^\d{1,15}$/.test(value) || (length !== undefined && length != value)) return false;
          length = value;
        }
      }
    }
    if (transfer !== undefined) {
      // hyper: chunked when the last Transfer-Encoding ends in chunked, else refused.
      const last = transfer.split(",").pop()!.replace(/^[ \t]+|[ \t\r]+$/g, "").toLowerCase();
      if (version == "0" || last != "chunked") return false;
      expecting = "size";
      sizeText = "";
      lineLength = 0;
    } else if (length !== undefined && Number(length) > 0) {
      expecting = "body";
      left = Number(length);
    } else {
      expecting = "head";
    }
    return true;
  };

  return (chunk) => {
    const out: Uint8Array[] = [];
    let data = chunk;
    let at = 0;
    /** Start of the bytes passed through as they are, not yet added to `out`. */
    let from = 0;
    while (at < data.length) {
      if (expecting == "head") {
        if (at > from) out.push(data.subarray(from, at));
        let view: Uint8Array;
        if (heldLength) {
          hold(data.subarray(at));
          view = held.subarray(0, heldLength);
        } else {
          view = data.subarray(at);
        }
        let end = -1;
        let after = -1;
        let requestStart = -1;
        for (let pos = searched; pos < view.length;) {
          const newline = view.indexOf(10, pos);
          if (newline < 0) break;
          const empty = newline == pos || (newline == pos + 1 && view[pos] == 13);
          if (empty && sawLine) {
            end = pos;
            after = newline + 1;
            break;
          }
          if (!empty && !sawLine) requestStart = pos;
          if (!empty) sawLine = true;
          pos = searched = newline + 1;
        }
        if (requestStart >= 0) requestStartAt = requestStart;
        if (end < 0) {
          if (!heldLength) hold(view);
          if (heldLength > MAX_HEAD_BYTES) return undefined;
          return concat(out);
        }
        if (!framing(view, requestStartAt, end)) return undefined;
        out.push(view.subarray(0, end), line, view.subarray(end, after));
        if (heldLength) {
          // The rest is read from the held bytes, which are not reused from here on.
          held = new Uint8Array(0);
          heldLength = 0;
        }
        data = view;
        at = from = after;
        searched = 0;
        sawLine = false;
        requestStartAt = 0;
        if (view.length - after > 0 || expecting != "head") continue;
        return concat(out);
      }
      if (expecting == "body" || expecting == "data") {
        const take = Math.min(left, data.length - at);
        at += take;
        left -= take;
        if (left == 0) {
          expecting = expecting == "body" ? "head" : "data-end";
          lineLength = 0;
        }
        continue;
      }
      // A line of chunked framing: a chunk size, the end of a chunk's data, or a trailer.
      const newline = data.indexOf(10, at);
      const end = newline < 0 ? data.length : newline;
      if (expecting == "size" && sizeText.length < 32) {
        sizeText += latin1(data.subarray(at, Math.min(end, at + 32)));
      }
      lineLength += end - at;
      if (end > at) lineLast = data[end - 1];
      if (lineLength > MAX_LINE_BYTES) return undefined;
      if (newline < 0) {
        at = data.length;
        continue;
      }
      at = newline + 1;
      if (expecting == "size") {
        const size = /^[0-9a-fA-F]{1,12}(?![0-9a-fA-F])/.exec(sizeText)?.[0];
        if (size === undefined) return undefined;
        left = parseInt(size, 16);
        expecting = left ? "data" : "trailer";
      } else if (expecting == "data-end") {
        expecting = "size";
      } else if (lineLength == 0 || (lineLength == 1 && lineLast == 13)) {
        expecting = "head";
      }
      sizeText = "";
      lineLength = 0;
    }
    if (at > from) out.push(data.subarray(from, at));
    return concat(out);
  };
}
/**
 * Copies `from` to `to`, through `transform` when given, until `from` ends, either side fails, or
 * `transform` returns undefined.
 */
async function copy(
  from: Deno.Conn,
  to: Deno.Conn,
  transform?: (chunk: Uint8Array) => Uint8Array | undefined,
): Promise<void> {
  const buffer = new Uint8Array(BUFFER_BYTES);
  try {
    for (;;) {
      const read = await from.read(buffer);
      if (read === null) return;
      const bytes = transform ? transform(buffer.subarray(0, read)) : buffer.subarray(0, read);
      if (!bytes) return;
      for (let written = 0; written < bytes.length;) {
        written += await to.write(bytes.subarray(written));
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

const LATIN1 = new TextDecoder("latin1");

/** `bytes` as text, one character a byte. */
function latin1(bytes: Uint8Array): string {
  return LATIN1.decode(bytes);
}

/** `pieces` as one array (the piece itself when there is one). */
function concat(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length == 1) return pieces[0];
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const whole = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    whole.set(piece, at);
    at += piece.length;
  }
  return whole;
}
