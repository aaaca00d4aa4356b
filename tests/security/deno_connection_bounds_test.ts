// Issue 25, item 3: the self-hosted entry (`workers/deno.ts`) closes connections that do not
// finish their request head or body within a bound, caps its concurrent connections, and does not
// die when descriptors run out. Driven against a real process under `ulimit -n 1024`, on
// 127.0.0.1 only; every loop is bounded in count and time, and every connection is closed.
import assert from "node:assert/strict";
import { entryEnvironment, health, startEntry, untilHealthy } from "./deno_entry_fixture.ts";

const FD_LIMIT = 1_024;
const FLOOD = 1_100;
const HEADER_TIMEOUT_MS = 1_000;
const BODY_TIMEOUT_MS = 1_000;
/** Bounds a hang, never a timing assertion: far above the bounds under test. */
const DEADLINE_MS = 60_000;

const encoder = new TextEncoder();
const halfHead = encoder.encode("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");

/** Connects to 127.0.0.1:`port`, or undefined when refused or not within `ms`. */
async function connect(port: number, ms = 5_000): Promise<Deno.TcpConn | undefined> {
  let late = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connecting = Deno.connect({ hostname: "127.0.0.1", port }).then((conn) => {
    if (late) conn.close();
    return conn;
  }, () => undefined);
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      late = true;
      resolve(undefined);
    }, ms);
  });
  try {
    return await Promise.race([connecting, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Writes `bytes`; false when the peer has already closed. */
async function write(conn: Deno.Conn, bytes: Uint8Array): Promise<boolean> {
  try {
    for (let done = 0; done < bytes.length;) done += await conn.write(bytes.subarray(done));
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads until the peer closes; resolves with the milliseconds it took, or undefined if it is
 * still open after `ms` (the read is then left pending until the connection is closed here).
 */
function closedWithin(conn: Deno.Conn, ms: number): Promise<number | undefined> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closed = (async () => {
    const buffer = new Uint8Array(1_024);
    try {
      while (await conn.read(buffer) !== null) { /* whatever it answers, wait for the close */ }
    } catch {
      // Reset by the peer, or closed here at clean-up: either way no longer held open.
    }
    return Date.now() - started;
  })();
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([closed, timeout]).finally(() => clearTimeout(timer));
}

const closeAll = (conns: Deno.Conn[]) => {
  for (const conn of conns.splice(0)) {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }
};

Deno.test({
  name: "workers/deno.ts: slow heads and bodies are cut at the bound, and 1,100 half-sent " +
    "connections under a 1,024-descriptor limit neither kill the process nor keep it down",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { env, token } = entryEnvironment();
    const entry = startEntry({
      ...env,
      GATEWAY_HEADER_TIMEOUT_MS: String(HEADER_TIMEOUT_MS),
      GATEWAY_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
      GATEWAY_AUDIT_LOG: "off",
    }, FD_LIMIT);
    const open: Deno.Conn[] = [];
    try {
      await untilHealthy(entry);

      // Half a request head, then nothing: closed by the server at the header bound.
      const half = await connect(entry.port);
      assert.ok(half, "connected");
      open.push(half);
      assert.ok(await write(half, halfHead));
      const halfClosed = await closedWithin(half, DEADLINE_MS);
      assert.ok(halfClosed !== undefined, "a half-sent head is not held open");
      assert.ok(
        halfClosed >= HEADER_TIMEOUT_MS / 2,
        `closed by the bound, not at once (${halfClosed} ms)`,
      );

      // A complete, authenticated head and a body one byte every 100 ms (it would take 100 s):
      // closed by the server at the body bound, long before the body could be complete.
      const slow = await connect(entry.port);
      assert.ok(slow, "connected");
      open.push(slow);
      const length = 1_000;
      assert.ok(
        await write(
          slow,
          encoder.encode(
            "POST /live/channelManage/getChannelList HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
              `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
              `Content-Length: ${length}\r\n\r\n{`,
          ),
        ),
      );
      let slowClosed: number | undefined;
      const watching = closedWithin(slow, DEADLINE_MS).then((ms) => slowClosed = ms);
      let sent = 1;
      for (let i = 0; i < 300 && slowClosed === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (slowClosed !== undefined || !await write(slow, encoder.encode(" "))) break;
        sent++;
      }
      await watching;
      assert.ok(slowClosed !== undefined, "a body sent a byte at a time is not held open");
      assert.ok(sent < length, `the body was cut (${sent} of ${length} bytes sent)`);
      closeAll(open);

      // The flood: 1,100 connections that each send half a head, under a 1,024-descriptor limit.
      let refused = 0;
      const closings: Promise<number | undefined>[] = [];
      for (let i = 0; i < FLOOD; i++) {
        const conn = await connect(entry.port);
        if (!conn) {
          refused++;
          continue;
        }
        open.push(conn);
        closings.push(write(conn, halfHead).then(() => closedWithin(conn, DEADLINE_MS)));
      }
      const flooded = Date.now();
      assert.equal(entry.exited(), undefined, `the process exited:\n${entry.stderr()}`);
      const closed = await Promise.all(closings);
      const held = closed.filter((ms) => ms === undefined).length;
      assert.equal(held, 0, `${held} of ${closed.length} half-sent connections still open`);
      assert.equal(entry.exited(), undefined, `the process exited:\n${entry.stderr()}`);
      await untilHealthy(entry, DEADLINE_MS);
      console.log(
        `  ${closed.length} half-sent connections (${refused} refused at connect) all closed; ` +
          `/healthz 200 again ${Date.now() - flooded} ms after the flood`,
      );
      closeAll(open);
      assert.equal(await health(entry.url), 200);
      assert.equal(entry.exited(), undefined, "still running");
    } finally {
      closeAll(open);
      await entry.stop();
    }
  },
});
