// The reconciler's channel memory on the GATEWAY_STATE Durable Object (createDurableObjectChannelMemory,
// @wangsu/sdk/adapters/cloudflare) in real workerd: what every isolate of a deployment notes, the
// Cron Trigger's isolate reads. Expiry by the caller's clock (injected), the later event kept, a
// bound on the channels held, and the object's alarm sweeping what expired. The scheduled run that
// reads it from another isolate is in scheduled_test.ts.
import assert from "node:assert/strict";
import { createDurableObjectChannelMemory } from "../../../src/adapters/cloudflare/channel_memory.ts";
import type { StateObjectNamespace } from "../../../src/adapters/cloudflare/durable_object_store.ts";
import type { ChannelBelief } from "../../../src/gateway/reconciler.ts";
import { until, virtualClock } from "../../helpers.ts";
import { bundleWorker, startWorkers, stateHost } from "../../../scripts/workerd.ts";

const belief = (pullId: string, since: string, state: ChannelBelief["state"] = "live") => ({
  pullId,
  state,
  since,
  eventId: `${pullId}@${since}`,
});

Deno.test({
  name: "workerd: the channel memory on the state object is shared, expires and keeps the latest",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const script = await bundleWorker("workers/cloudflare.ts");
    const workers = await startWorkers([stateHost(script)]);
    try {
      const { GATEWAY_STATE } = await workers.bindings("state") as {
        GATEWAY_STATE: StateObjectNamespace;
      };
      const clock = virtualClock(Date.parse("2030-01-01T00:00:00Z"));
      // Two memories on one namespace stand for two isolates.
      const [a, b] = [
        createDurableObjectChannelMemory(GATEWAY_STATE, { now: clock.now }),
        createDurableObjectChannelMemory(GATEWAY_STATE, { now: clock.now }),
      ];
      await a.note(belief("ch-2", "2030-01-01T00:00:01Z"), clock.now() + 1_000);
      await b.note(belief("ch-1", "2030-01-01T00:00:02Z"), clock.now() + 5_000);
      assert.deepEqual(await b.recent(), [
        belief("ch-1", "2030-01-01T00:00:02Z"),
        belief("ch-2", "2030-01-01T00:00:01Z"),
      ]);
      // An older event than the one held changes nothing; a later one replaces it.
      await a.note(belief("ch-1", "2030-01-01T00:00:00Z", "idle"), clock.now() + 5_000);
      assert.deepEqual((await b.recent())[0], belief("ch-1", "2030-01-01T00:00:02Z"));
      await a.note(belief("ch-1", "2030-01-01T00:00:03Z", "banned"), clock.now() + 5_000);
      assert.deepEqual((await b.recent())[0], belief("ch-1", "2030-01-01T00:00:03Z", "banned"));
      // By the memory's clock: ch-2 has expired, and an older event may take its place again.
      clock.time += 1_000;
      assert.deepEqual((await a.recent()).map((held) => held.pullId), ["ch-1"]);
      await b.note(belief("ch-2", "2030-01-01T00:00:00Z", "idle"), clock.now() + 5_000);
      assert.deepEqual(
        (await a.recent()).map((held) => [held.pullId, held.state]),
        [["ch-1", "banned"], ["ch-2", "idle"]],
      );
    } finally {
      await workers.stop();
    }
  },
});

Deno.test({
  name: "workerd: the channel memory is bounded, and the object's alarm sweeps what expired",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const script = await bundleWorker("workers/cloudflare.ts");
    const workers = await startWorkers([stateHost(script, { GATEWAY_STATE_SWEEP_MS: "200" })]);
    try {
      const { GATEWAY_STATE } = await workers.bindings("state") as {
        GATEWAY_STATE: StateObjectNamespace;
      };
      const clock = virtualClock(Date.now());
      const memory = createDurableObjectChannelMemory(GATEWAY_STATE, {
        now: clock.now,
        capacity: 3,
      });
      // Five channels into room for three: the ones that expire first (noted least lately) go.
      for (const [index, pullId] of ["c1", "c2", "c3", "c4", "c5"].entries()) {
        await memory.note(
          belief(pullId, `2030-01-01T00:00:0${index}Z`),
          clock.now() + 600_000 + index,
        );
      }
      assert.deepEqual((await memory.recent()).map((held) => held.pullId), ["c3", "c4", "c5"]);
      // Rows the real clock has expired are deleted by the alarm, not only hidden: a memory
      // whose clock stands at 0 sees every row still stored.
      const stored = createDurableObjectChannelMemory(GATEWAY_STATE, { now: () => 0 });
      // "Held at first" is judged only if it was read before the row expired: on a loaded
      // machine the note and the read can take longer than a short life (and the alarm, every
      // 200 ms, may already have swept it); then a longer life is tried.
      let brief: string | undefined;
      for (const life of [300, 3_000, 30_000]) {
        const pullId = `brief-${life}`;
        const expires = Date.now() + life;
        await stored.note(belief(pullId, "2030-01-01T00:01:00Z"), expires);
        const held = (await stored.recent()).some((row) => row.pullId == pullId);
        if (Date.now() < expires) {
          assert.ok(held, "held at first");
          brief = pullId;
          break;
        }
        console.log(`${life} ms did not cover noting and reading the row; trying a longer life`);
      }
      assert.ok(brief, "never read before its expiry, even with a 30 s life");
      // The alarm runs every 200 ms (later on a loaded machine); the deadline bounds a hang.
      await until(
        async () => !(await stored.recent()).some((held) => held.pullId == brief),
        "the alarm to delete the expired channel",
        { everyMs: 100 },
      );
      assert.deepEqual((await stored.recent()).map((held) => held.pullId), ["c3", "c4", "c5"]);
    } finally {
      await workers.stop();
    }
  },
});
