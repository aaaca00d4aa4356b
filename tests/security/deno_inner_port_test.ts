// The self-hosted entry (`workers/deno.ts`) relays its connections to an inner `Deno.serve`; that
// inner server must not be a second, unbounded way in. A local process that finds it (as in
// `ss -ltn`) and holds half-sent heads there got no timeout and no connection limit, and under a
// descriptor limit took the public `/healthz` down. Driven against a real process under
// `ulimit -n 512`: every TCP port it listens on besides the public one gets half-sent heads (700
// at most, all closed at the end), and `/healthz` must still answer. Its Unix sockets, if any,
// must sit in a directory only its own user may enter.
import assert from "node:assert/strict";
import { entryEnvironment, health, startEntry, untilHealthy } from "./deno_entry_fixture.ts";

const FD_LIMIT = 512;
const HELD = 700;
/** Bounds a hang, never a timing assertion (the header timeout is 10 s). */
const HEALTH_DEADLINE_MS = 30_000;

const halfHead = new TextEncoder().encode("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");

/** Socket inodes the process `pid` holds open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const entry of Deno.readDirSync(`/proc/${pid}/fd`)) {
    try {
      const target = Deno.readLinkSync(`/proc/${pid}/fd/${entry.name}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // Closed meanwhile.
    }
  }
  return inodes;
}

/** TCP ports that `pid` listens on (IPv4 and IPv6). */
function listeningPorts(pid: number): number[] {
  const inodes = socketInodes(pid);
  const ports = new Set<number>();
  for (const table of ["tcp", "tcp6"]) {
    let text = "";
    try {
      text = Deno.readTextFileSync(`/proc/${pid}/net/${table}`);
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is fields[1] (hex ip:port), st is fields[3] (0A = LISTEN), inode fields[9].
      if (fields.length < 10 || fields[3] != "0A" || !inodes.has(fields[9])) continue;
      ports.add(parseInt(fields[1].split(":")[1], 16));
    }
  }
  return [...ports];
}

/** Paths of the Unix sockets `pid` holds that have one. */
function unixSocketPaths(pid: number): string[] {
  const inodes = socketInodes(pid);
  const paths = new Set<string>();
  for (const line of Deno.readTextFileSync(`/proc/${pid}/net/unix`).split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length >= 8 && inodes.has(fields[6]) && fields[7].startsWith("/")) {
      paths.add(fields[7]);
    }
  }
  return [...paths];
}

Deno.test({
  name: "workers/deno.ts: half-sent heads held on every other port it listens on do not take " +
    "the public /healthz down (ulimit -n 512, 700 connections)",
  ignore: Deno.build.os != "linux",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { env } = entryEnvironment();
    const entry = startEntry({ ...env, GATEWAY_AUDIT_LOG: "off" }, FD_LIMIT);
    const open: Deno.Conn[] = [];
    try {
      await untilHealthy(entry);
      const others = listeningPorts(entry.pid).filter((port) => port != entry.port);
      for (let i = 0; i < HELD && others.length; i++) {
        const port = others[i % others.length];
        const conn = await Deno.connect({ hostname: "127.0.0.1", port }).catch(() => undefined);
        if (!conn) continue;
        open.push(conn);
        await conn.write(halfHead).catch(() => 0);
      }
      // Asked again until it answers 200 or the deadline passes (a bound on a hang).
      const deadline = Date.now() + HEALTH_DEADLINE_MS;
      let status = await health(entry.url, HEALTH_DEADLINE_MS);
      while (status != 200 && Date.now() < deadline && !entry.exited()) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await health(entry.url, Math.max(1, deadline - Date.now()));
      }
      console.log(
        `  other TCP ports: ${JSON.stringify(others)}; ${open.length} half-sent heads held ` +
          `there; Unix sockets: ${unixSocketPaths(entry.pid).length}; ` +
          `/healthz: ${status}`,
      );
      assert.equal(
        status,
        200,
        `/healthz with ${open.length} half-sent heads on ports ${others}:\n` +
          entry.stderr().slice(-1_000),
      );
      for (const path of unixSocketPaths(entry.pid)) {
        const dir = path.slice(0, path.lastIndexOf("/"));
        const mode = Deno.statSync(dir).mode! & 0o777;
        assert.equal(mode & 0o077, 0, `${dir} is mode ${mode.toString(8)}: others may enter`);
      }
      assert.equal(entry.exited(), undefined, "still running");
    } finally {
      for (const conn of open) {
        try {
          conn.close();
        } catch {
          // Already closed.
        }
      }
      await entry.stop();
    }
  },
});
