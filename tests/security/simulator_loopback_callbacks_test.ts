// `deno task simulator` (the standalone simulator) delivers callbacks to any loopback name a
// receiver may be given: `localhost` (the name Deno prints for local servers), `127.0.0.1` and
// `[::1]`, and still to nothing else (a permission error, recorded on the notification).
import assert from "node:assert/strict";
import { createChannel, createClient, setChannelStateRealtimeBack } from "../../mod.ts";
import { readUntil } from "./start_fixture.ts";

const root = new URL("../../", import.meta.url).pathname;

/** What `GET /_sim/notifications` lists. */
interface Notification {
  url: string;
  attempts: { error?: string }[];
}

/** Two callback receivers (127.0.0.1 and ::1) recording the paths called. */
function receivers() {
  const waiting = new Map<string, () => void>();
  const hits = new Set<string>();
  const handler = (request: Request) => {
    const path = new URL(request.url).pathname;
    hits.add(path);
    waiting.get(path)?.();
    return new Response("ok");
  };
  const v4 = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const v6 = Deno.serve({ hostname: "::1", port: 0, onListen() {} }, handler);
  return {
    v4: v4.addr.port,
    v6: v6.addr.port,
    hits,
    /** Resolves when `path` has been called. */
    hit: (path: string) =>
      hits.has(path)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.set(path, resolve)),
    close: () => Promise.all([v4.shutdown(), v6.shutdown()]),
  };
}

Deno.test({
  name: "deno task simulator: callbacks reach localhost, 127.0.0.1 and [::1]",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "simulator", "--port=0"],
      cwd: root,
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const receiving = receivers();
    try {
      const printed = await readUntil(reader, (text) => text.includes("Stop with Ctrl+C."));
      const url = printed.match(/simulator on (http:\/\/\S+)/)?.[1];
      const accessKey = printed.match(/access key: (\S+)/)?.[1];
      const secretKey = printed.match(/secret key: (\S+)/)?.[1];
      assert.ok(url && accessKey && secretKey, printed);
      const client = createClient({ accessKey, secretKey, endpoint: url });

      const targets = [
        { name: "localhost", base: `http://localhost:${receiving.v4}` },
        { name: "127.0.0.1", base: `http://127.0.0.1:${receiving.v4}` },
        { name: "[::1]", base: `http://[::1]:${receiving.v6}` },
      ];
      for (const [index, target] of targets.entries()) {
        const pushDomain = `push${index}.example.com`;
        await setChannelStateRealtimeBack(client, {
          domainName: pushDomain,
          notifyUrl: `${target.base}/cb/${index}`,
          open: 1,
        });
        const { pullId } = await createChannel(client, {
          channelName: `loopback ${target.name}`,
          channelType: "live",
          pushDomain,
          pullRate: "0",
        });
        const started = await fetch(`${url}/_sim/streams/${pullId}/start`, { method: "POST" });
        await started.body?.cancel();
        // Wait for the callback; a refused delivery is recorded on the notification (the only
        // place it shows), so a failed attempt ends the wait at once with its error.
        const path = `/cb/${index}`;
        const arrived = receiving.hit(path);
        const deadline = Date.now() + 30_000;
        while (!receiving.hits.has(path)) {
          const notifications: Notification[] = await (await fetch(`${url}/_sim/notifications`))
            .json();
          const error = notifications
            .filter((n) => n.url.startsWith(`${target.base}${path}`))
            .flatMap((n) => n.attempts)
            .find((a) => a.error)?.error;
          assert.equal(error, undefined, `callback to ${target.name}: ${error}`);
          assert.ok(Date.now() < deadline, `no callback to ${target.name} within 30 s`);
          await Promise.race([arrived, new Promise((resolve) => setTimeout(resolve, 100))]);
        }
      }

      // Anything else stays out of reach: the standalone simulator is no proxy to the network.
      const outside = "http://192.0.2.1:8080/cb/outside"; // TEST-NET-1, never routed
      await setChannelStateRealtimeBack(client, {
        domainName: "push-outside.example.com",
        notifyUrl: outside,
        open: 1,
      });
      const { pullId } = await createChannel(client, {
        channelName: "outside",
        channelType: "live",
        pushDomain: "push-outside.example.com",
        pullRate: "0",
      });
      await (await fetch(`${url}/_sim/streams/${pullId}/start`, { method: "POST" })).body?.cancel();
      const deadline = Date.now() + 30_000;
      for (;;) {
        const notifications: Notification[] = await (await fetch(`${url}/_sim/notifications`))
          .json();
        const error = notifications.find((n) => n.url.startsWith(outside))?.attempts[0]?.error;
        if (error) {
          assert.match(error, /Requires net access to "192\.0\.2\.1:8080"/);
          break;
        }
        assert.ok(Date.now() < deadline, "no attempt to the outside address within 30 s");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
      await receiving.close();
    }
  },
});
