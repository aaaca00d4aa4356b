// Two gateways in real workerd, one state: workers "gateway-a" and "gateway-b" run the same
// Workers bundle as separate isolates (workerd gives every worker its own), and share the
// GATEWAY_STATE Durable Object namespace hosted by a third worker, "state", bound by scriptName.
// That is how Cloudflare runs one deployment: many isolates, one object per name. Two more
// workers with no binding ("alone-a", "alone-b") show the isolates really are apart: without the
// objects, a replay goes through. Upstream is the simulator on loopback with its own rate limit
// set to the budget, so any overspend would show as a vendor 429.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { signRequest } from "../../src/signer.ts";
import { verifyRequest } from "../../src/verifier.ts";
import { rememberSignature } from "../../src/replay_guard.ts";
import { createDurableObjectStore, type StateObjectNamespace } from "../../src/gateway/mod.ts";
import { edge, edgeScenario, until } from "../helpers.ts";
import { bundleWorker, sharedState, startWorkers, stateHost } from "../../scripts/workerd.ts";

const { master, ops, viewerToken, partnerToken } = edge;
const shardSecret = master.secretKey;
const BUDGET = 50;
const WINDOW_MS = 1_000;
/** `GATEWAY_BUDGET_MARGIN_MS` of {@link edgeScenario}: the gateway holds a slot this much longer. */
const MARGIN_MS = 1_000;
const LIST = "/live/channelManage/getChannelList";

Deno.test({
  name: "workerd: two gateway isolates share replay memory, the account budget and key quotas",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { upstream, env: vars } = edgeScenario(
      { limit: BUDGET, windowMs: WINDOW_MS },
      { limit: 10, windowSeconds: 60 },
    );
    const script = await bundleWorker("workers/cloudflare.ts");
    const workers = await startWorkers([
      stateHost(script),
      { name: "gateway-a", script, vars, durableObjects: sharedState },
      { name: "gateway-b", script, vars, durableObjects: sharedState },
      { name: "alone-a", script, vars },
      { name: "alone-b", script, vars },
    ]);
    const { urls } = workers;
    try {
      // A signed request accepted by A is a replay at B.
      const replay = async (first: string, second: string) => {
        const path = LIST;
        const body = "{}";
        // Here each isolate has its own port, where a deployment has one host: leave the host
        // out of the signature so that the same bytes are valid at both.
        const headers = await signRequest({ method: "POST", url: `${first}${path}`, body }, ops, {
          signedHeaders: "content-type",
        });
        const send = (base: string) =>
          fetch(`${base}${path}`, { method: "POST", headers, body })
            .then(async (r) => ({ status: r.status, body: await r.json() }));
        return [await send(first), await send(second)];
      };
      const [accepted, replayed] = await replay(urls["gateway-a"], urls["gateway-b"]);
      assert.equal(accepted.status, 200);
      assert.equal(replayed.status, 401);
      assert.equal(replayed.body.reason, "replay");
      const [alone, unguarded] = await replay(urls["alone-a"], urls["alone-b"]);
      assert.equal(alone.status, 200);
      assert.equal(unguarded.status, 200, "isolates with no shared state cannot see the replay");

      // 400 calls over A and B, bearer and signed, 32 at a time; first the window of the four
      // calls above, two of which the shared budget did not count, moves on (the vendor's, and
      // the gateway's with its margin, so that every slot is free).
      const last = Math.max(...upstream.arrivals);
      await until(() => Date.now() > last + WINDOW_MS + MARGIN_MS, "the window to move on", {
        everyMs: 50,
      });
      upstream.reset();
      const clients = [urls["gateway-a"], urls["gateway-b"]].map((endpoint) =>
        sdk.createClient({ ...ops, endpoint, retries: 0, timeoutMs: 90_000 })
      );
      const statuses: number[] = [];
      let next = 0;
      await Promise.all(Array.from({ length: 32 }, async () => {
        while (next < 400) {
          const n = next++;
          if (n % 4 == 3) {
            const result = await sdk.getChannelList(clients[n % 2], {}).then(
              () => 200,
              (e) => e.status ?? 0,
            );
            statuses.push(result);
          } else {
            const response = await fetch(`${urls[n % 2 ? "gateway-b" : "gateway-a"]}${LIST}`, {
              method: "POST",
              headers: { authorization: `Bearer ${viewerToken}` },
              body: "{}",
            });
            await response.body?.cancel();
            statuses.push(response.status);
          }
        }
      }));
      assert.equal(statuses.length, 400);
      assert.deepEqual(statuses.filter((s) => s != 200), [], "every caller got its answer");
      assert.deepEqual(upstream.statuses.filter((s) => s != 200), [], "the vendor never said 429");
      assert.equal(upstream.arrivals.length, 400, "each call went upstream once");
      const busiest = upstream.busiest(WINDOW_MS);
      assert.ok(busiest <= BUDGET, `${busiest} arrivals in one window, budget ${BUDGET}`);
      assert.ok(busiest >= BUDGET * 0.8, `the budget is used, not starved (${busiest})`);

      // A key's quota holds across both isolates.
      const partner: number[] = [];
      for (let i = 0; i < 30; i++) {
        const response = await fetch(`${urls[i % 2 ? "gateway-b" : "gateway-a"]}${LIST}`, {
          method: "POST",
          headers: { authorization: `Bearer ${partnerToken}` },
          body: "{}",
        });
        partner.push(response.status);
        const json = await response.json();
        if (response.status == 429) {
          assert.match(json.message, /^Key partner is over its quota of 10 requests per 60 s/);
          assert.ok(Number(response.headers.get("retry-after")) > 0);
        }
      }
      assert.equal(partner.filter((s) => s == 200).length, 10);
      assert.equal(partner.filter((s) => s == 429).length, 20);
    } finally {
      await workers.stop();
      await upstream.shutdown();
    }
    const audit = workers.logs().split("\n").filter((line) => line.includes('"gateway.audit"'))
      .map((line) => JSON.parse(line.slice(line.indexOf("{"))));
    assert.equal(audit.filter((entry) => entry.key == "partner").length, 30, "audited in workerd");
    for (const secret of [master.secretKey, ops.secretKey, viewerToken, partnerToken]) {
      assert.ok(!workers.logs().includes(secret), "no secret in workerd's output");
    }
  },
});

/** A `size()` of the object `name` of `namespace`: its own method beside the StateStore ones. */
const sizeOf = (namespace: StateObjectNamespace) => async (name: string) => {
  const object = namespace.get(namespace.idFromName(name) as never) as unknown as {
    size(): Promise<{ seen: number; slots: number }>;
  };
  const { seen, slots } = await object.size(); // a proxy: read its fields
  return { seen, slots };
};

/**
 * Lives to try, shortest first. workerd's clock cannot be set, so what must be shown before
 * something expires gets a life on the real clock; the test then waits that long for it to
 * expire. On a machine too slow to show it within the shortest life, the next is tried: time
 * decides only whether a run can be judged, never whether it passes.
 */
const LIVES = [1_500, 6_000, 24_000];

Deno.test({
  name: "workerd: the Durable Object keeps the StateStore contract and sweeps what expired",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const script = await bundleWorker("workers/cloudflare.ts");
    const workers = await startWorkers([stateHost(script, { GATEWAY_STATE_SWEEP_MS: "400" })]);
    try {
      const { GATEWAY_STATE } = await workers.bindings("state") as {
        GATEWAY_STATE: StateObjectNamespace;
      };
      const store = createDurableObjectStore(GATEWAY_STATE, { replayShards: 1, shardSecret });
      const size = sizeOf(GATEWAY_STATE);
      // The contract, on ids and slots that outlive the test: nothing here races the clock.
      const long = Date.now() + 600_000;
      assert.equal(await store.remember("a", long), true);
      assert.equal(await store.remember("a", long), false);
      const concurrent = await Promise.all(
        Array.from({ length: 20 }, () => store.remember("c", long)),
      );
      assert.equal(concurrent.filter(Boolean).length, 1, "exactly one concurrent caller wins");
      const granted = await Promise.all(
        Array.from({ length: 8 }, () => store.reserve("bucket", 5, 600_000)),
      );
      assert.equal(granted.filter((r) => r.ok).length, 5);
      const refused = await store.reserve("bucket", 5, 600_000);
      assert.ok(!refused.ok && refused.retryAfterMs > 0 && refused.retryAfterMs <= 600_000);
      assert.deepEqual(await size("replay:0"), { seen: 2, slots: 0 });
      assert.deepEqual(await size("bucket:bucket"), { seen: 0, slots: 5 });

      // The sweep: an id and two slots that expire soon, shown held before they expire, so that
      // their going is the alarm's doing (size() deletes nothing, and nothing else is called).
      let shown: { id: string; bucket: string } | undefined;
      for (const life of LIVES) {
        const [id, bucket] = [`e${life}`, `short${life}`];
        const expires = Date.now() + life;
        const answers = [
          await store.remember(id, expires),
          (await store.reserve(bucket, 5, life)).ok, // a proxy: read its field
          (await store.reserve(bucket, 5, life)).ok,
        ];
        const held = [await size("replay:0"), await size(`bucket:${bucket}`)];
        if (Date.now() < expires) {
          assert.deepEqual(answers, [true, true, true]);
          assert.deepEqual(held, [{ seen: 3, slots: 0 }, { seen: 0, slots: 2 }], "held");
          shown = { id, bucket };
          break;
        }
        console.log(`${life} ms did not cover showing the rows held; trying a longer life`);
        await until(async () => (await size("replay:0")).seen == 2, "the sweep of that try");
      }
      assert.ok(shown, `never shown held within ${LIVES.at(-1)} ms`);
      // The alarm runs every 400 ms (later on a loaded machine); the deadline bounds a hang.
      const want = [{ seen: 2, slots: 0 }, { seen: 0, slots: 0 }];
      let got: unknown;
      await until(
        async () => {
          got = [await size("replay:0"), await size(`bucket:${shown!.bucket}`)];
          return JSON.stringify(got) == JSON.stringify(want);
        },
        "the alarm to sweep what expired",
        { everyMs: 100 },
      ).catch(() => {});
      assert.deepEqual(got, want, "the alarm swept the expired id and slots, and kept the rest");
      assert.deepEqual(await size("bucket:bucket"), { seen: 0, slots: 5 }, "kept the live slots");
      assert.equal(await store.remember("a", long), false, "kept a");
      assert.equal(await store.remember(shown.id, long), true, "expired: new again");
    } finally {
      await workers.stop();
    }
  },
});

Deno.test({
  name: "workerd: a replay shard is bounded; it refuses new ids when full and forgets none",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const script = await bundleWorker("workers/cloudflare.ts");
    const bounded = { replayShards: 1, shardSecret, capacity: 4, ownerShare: 2 };
    let judged = false;
    // Each try on a fresh shard (a new workerd), since a try fills the shard.
    for (const life of LIVES) {
      const workers = await startWorkers([stateHost(script)]);
      try {
        const { GATEWAY_STATE } = await workers.bindings("state") as {
          GATEWAY_STATE: StateObjectNamespace;
        };
        const store = createDurableObjectStore(GATEWAY_STATE, bounded);
        // a1 expires first; everything up to the wait below needs it held.
        const soon = Date.now() + life;
        const later = Date.now() + 600_000;
        const answers = [
          await store.remember("a1", soon, "a"),
          await store.remember("a2", later, "a"),
          await store.remember("a3", later, "a"),
          await store.remember("b1", later, "b"),
          await store.remember("c1", later, "c"),
          await store.remember("d1", later, "d"),
        ];
        for (const id of ["a1", "a2", "b1", "c1"]) {
          answers.push(await store.remember(id, later, "a"));
        }
        if (Date.now() >= soon) {
          console.log(`${life} ms did not cover the calls; trying a longer life`);
          continue;
        }
        judged = true;
        assert.deepEqual(answers, [
          true,
          true,
          "full", // a holds its share
          true,
          true,
          "full", // the shard holds 4
          false, // none of the four is forgotten
          false,
          false,
          false,
        ]);
        // Once a1 expires (by the object's clock), its room is free again; the deadline only
        // bounds a hang.
        let answer: boolean | "full" = "full";
        await until(
          async () => {
            answer = await store.remember("d1", later, "d");
            return answer != "full";
          },
          "room once a1 expired",
          { everyMs: 100 },
        );
        assert.equal(answer, true, "room once a1 expired");
        assert.ok(Date.now() >= soon, "not before a1 expired");
        break;
      } finally {
        await workers.stop();
      }
    }
    assert.ok(judged, `the calls never fitted within ${LIVES.at(-1)} ms`);
  },
});

Deno.test({
  name: "workerd: no replay is accepted in the last second of the window, by the object's clock",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // workerd's clock cannot be set, so this runs on the real one with a 1 s window: a request
    // signed now is acceptable for one to two seconds; it is sent every 50 ms until the verifier
    // refuses it as skewed, and the object must call every copy after the first a replay. A run
    // is judged on every copy it sent; it is repeated (with a new signature) until one has sent
    // at least three in the window's last second, however slow the machine.
    const script = await bundleWorker("workers/cloudflare.ts");
    const workers = await startWorkers([stateHost(script)]);
    try {
      const { GATEWAY_STATE } = await workers.bindings("state") as {
        GATEWAY_STATE: StateObjectNamespace;
      };
      const store = createDurableObjectStore(GATEWAY_STATE, { shardSecret });
      const url = `http://gw.test${LIST}`;
      const secrets = (key: string) => key == ops.accessKey ? ops.secretKey : undefined;
      let inLastSecond = 0;
      for (let run = 1; inLastSecond < 3; run++) {
        assert.ok(run <= 10, `${inLastSecond} sends in the window's last second after 10 runs`);
        const headers = await signRequest({ method: "POST", url, body: "{}" }, ops);
        const timestamp = Number(headers.get("x-cnc-timestamp"));
        const outcomes: string[] = [];
        inLastSecond = 0;
        // Only bounds a hang: the verifier refuses the copies within two seconds.
        const deadline = Date.now() + 60_000;
        for (;;) {
          const request = new Request(url, { method: "POST", headers, body: "{}" });
          const now = Date.now();
          const verified = await verifyRequest(request, secrets, {
            now: now / 1000,
            maxSkewSeconds: 1,
          });
          if (!verified.ok) {
            assert.equal(verified.reason, "skew");
            break;
          }
          if (Math.floor(now / 1000) == timestamp + 1) inLastSecond++;
          const refused = await rememberSignature(store, verified, 1);
          outcomes.push(refused?.reason ?? "fresh");
          assert.ok(Date.now() < deadline, "the window closed");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.deepEqual(outcomes, ["fresh", ...outcomes.slice(1).map(() => "replay")]);
      }
    } finally {
      await workers.stop();
    }
  },
});
