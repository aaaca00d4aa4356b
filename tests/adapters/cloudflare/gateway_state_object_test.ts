// The gateway's state object (GatewayStateObject, @wangsu/sdk/adapters/cloudflare) in real
// workerd, through createDurableObjectStore: the StateStore contract and the alarm's sweep, a
// bounded replay shard, and the window's last second by the object's clock. The object is hosted
// by the Workers entry's bundle (workers/cloudflare.ts exports it from the adapter); the two
// gateway isolates that share it are in tests/workers/edge_state_test.ts.
import assert from "node:assert/strict";
import { signRequest } from "../../../src/signer.ts";
import { verifyRequest } from "../../../src/verifier.ts";
import { rememberSignature } from "../../../src/server/replay_guard.ts";
import {
  createDurableObjectStore,
  type StateObjectNamespace,
} from "../../../src/adapters/cloudflare/durable_object_store.ts";
import { edge, until } from "../../helpers.ts";
import { bundleWorker, startWorkers, stateHost } from "../../../scripts/workerd.ts";

const { master, ops } = edge;
const shardSecret = master.secretKey;
const LIST = "/live/channelManage/getChannelList";

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
