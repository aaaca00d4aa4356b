// The reconciler's channel memory in Deno KV (createKvChannelMemory) on a real KV file opened
// twice, as two gateway processes on one GATEWAY_KV_PATH would: what one notes the other reads,
// the later event is kept (also when the two note the same channel at once), and expiry follows
// the memory's clock (injected here).
import assert from "node:assert/strict";
import {
  type ChannelBelief,
  type ChannelKv,
  createKvChannelMemory,
} from "../../src/gateway/reconciler.ts";
import { virtualClock } from "../helpers.ts";

const belief = (pullId: string, since: string, state: ChannelBelief["state"] = "live") => ({
  pullId,
  state,
  since,
  eventId: `${pullId}@${since}`,
});

/** Two handles on one fresh KV file; closed and removed by `close()`. */
async function twoHandles() {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/gateway.kv`;
  const [first, second] = [await Deno.openKv(path), await Deno.openKv(path)];
  return {
    first,
    second,
    async close() {
      first.close();
      second.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("Deno KV channel memory: two handles on one file share it; expiry by its clock", async () => {
  const kv = await twoHandles();
  try {
    const clock = virtualClock(Date.parse("2030-01-01T00:00:00Z"));
    const [a, b] = [
      createKvChannelMemory(kv.first, clock.now),
      createKvChannelMemory(kv.second, clock.now),
    ];
    await a.note(belief("ch-2", "2030-01-01T00:00:01Z"), clock.now() + 1_000);
    await b.note(belief("ch-1", "2030-01-01T00:00:02Z"), clock.now() + 5_000);
    assert.deepEqual(
      (await a.recent()).sort((x, y) => x.pullId < y.pullId ? -1 : 1),
      [belief("ch-1", "2030-01-01T00:00:02Z"), belief("ch-2", "2030-01-01T00:00:01Z")],
    );
    // An older event than the one the other handle noted changes nothing; a later one wins.
    await a.note(belief("ch-1", "2030-01-01T00:00:00Z", "idle"), clock.now() + 5_000);
    assert.deepEqual(
      (await b.recent()).find((held) => held.pullId == "ch-1"),
      belief("ch-1", "2030-01-01T00:00:02Z"),
    );
    await a.note(belief("ch-1", "2030-01-01T00:00:03Z", "banned"), clock.now() + 5_000);
    assert.deepEqual(
      (await b.recent()).find((held) => held.pullId == "ch-1"),
      belief("ch-1", "2030-01-01T00:00:03Z", "banned"),
    );
    // ch-2's recency ends by the memory's clock: not recent on either handle, and an older event
    // may take its place.
    clock.time += 1_000;
    assert.deepEqual((await b.recent()).map((held) => held.pullId), ["ch-1"]);
    assert.deepEqual((await a.recent()).map((held) => held.pullId), ["ch-1"]);
    await b.note(belief("ch-2", "2030-01-01T00:00:00Z", "idle"), clock.now() + 5_000);
    assert.deepEqual(
      (await a.recent()).find((held) => held.pullId == "ch-2"),
      belief("ch-2", "2030-01-01T00:00:00Z", "idle"),
    );
  } finally {
    await kv.close();
  }
});

Deno.test("Deno KV channel memory: an older event noted at the same time never replaces a later one", async () => {
  const kv = await twoHandles();
  try {
    const clock = virtualClock(Date.parse("2030-01-01T00:00:00Z"));
    // Process A reads the channel (nothing held), and before it writes, process B notes a later
    // event for it: A's older event must not overwrite B's.
    let readByA!: () => void;
    const aHasRead = new Promise<void>((resolve) => readByA = resolve);
    let letAWrite!: () => void;
    const aMayWrite = new Promise<void>((resolve) => letAWrite = resolve);
    let paused = false;
    const pausing = {
      list: kv.first.list.bind(kv.first),
      atomic: kv.first.atomic.bind(kv.first),
      async get<T>(key: string[]) {
        const entry = await kv.first.get<T>(key);
        if (!paused) {
          paused = true;
          readByA();
          await aMayWrite;
        }
        return entry;
      },
    } satisfies ChannelKv;
    const a = createKvChannelMemory(pausing, clock.now);
    const b = createKvChannelMemory(kv.second, clock.now);
    const older = a.note(belief("ch", "2030-01-01T00:00:01Z", "idle"), clock.now() + 5_000);
    await aHasRead;
    await b.note(belief("ch", "2030-01-01T00:00:02Z", "live"), clock.now() + 5_000);
    letAWrite();
    await older;
    assert.deepEqual(await b.recent(), [belief("ch", "2030-01-01T00:00:02Z", "live")]);
  } finally {
    await kv.close();
  }
});
