// Every action of the spec, sent through the simulator with the client: each answers 200, and
// both the data the simulator sent and what the client returns hold every field the action's
// response shape names, of its type, at every depth. Each action gets a fresh simulator, seeded
// so that the ids its example input names (tests/fixtures/examples.ts) exist.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import spec from "../../src/actions/spec.json" with { type: "json" };
import { actions } from "../../src/actions/table.ts";
import type { Shape } from "../../src/shape.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { examples } from "../fixtures/examples.ts";

type ActionFunction = (client: sdk.WangsuClient, input: unknown) => Promise<unknown>;
const functions = sdk as unknown as Record<string, ActionFunction>;
const byName = new Map(actions.map((action) => [action.name, action]));

/** Where `value` does not hold what `shape` names, one line each (none: it does). */
const misfits = (shape: Shape, value: unknown, at: string): string[] => {
  if (typeof shape == "string") {
    if (shape.endsWith("?") && value == null) return [];
    const fits = shape.startsWith("string") ? typeof value == "string" : Number.isInteger(value);
    return fits ? [] : [`${at}: ${JSON.stringify(value)} is not ${shape.replace("?", "")}`];
  }
  if ("$maybe" in shape) return value == null ? [] : misfits(shape.$maybe as Shape, value, at);
  if ("$oneOrMany" in shape) {
    return misfits([shape.$oneOrMany as Shape], Array.isArray(value) ? value : [value], at);
  }
  if (Array.isArray(shape)) {
    return Array.isArray(value)
      ? value.flatMap((item, index) => misfits(shape[0], item, `${at}[${index}]`))
      : [`${at}: not a list`];
  }
  if (typeof value != "object" || value == null || Array.isArray(value)) {
    return [`${at}: not an object`];
  }
  return Object.entries(shape as Record<string, Shape>).flatMap(([field, item]) =>
    misfits(item, (value as Record<string, unknown>)[field], `${at}.${field}`)
  );
};

/** A simulator with a client, and the real ids of what the examples name (`p1`, `dir-1`, ...). */
const seededWorld = async () => {
  let clock = Date.UTC(2025, 10, 24, 13, 0); // Before the examples' times (1764000000 s).
  const simulator = createSimulator({ now: () => clock, callbacks: false, rateLimit: false });
  const raw: unknown[] = [];
  const client = sdk.createClient({
    ...simulator.credentials[0],
    endpoint: "https://sim.test",
    fetch: async (input, init) => {
      const response = await simulator.fetch(input, init);
      raw.push(await response.clone().json());
      return response;
    },
  });
  const { directoryId } = await sdk.directoryCreate(client, {
    directoryType: "seed",
    firstLevelDirectory: "seed",
  });
  const channel = { channelType: "live", pushDomain: "push.example.com", pullRate: "0,2" };
  const one = await sdk.createChannel(client, { ...channel, channelName: "one", directoryId });
  const two = await sdk.createChannel(client, { ...channel, channelName: "two" });
  const pull = await sdk.createPullChannel(client, {
    channelName: "pulled",
    sourcePullUrl: "rtmp://origin.example.com/live/s",
    sourcePullProtocol: "0",
    pullDomain: "play.example.com",
    pullRate: "0",
  });
  // A recording of channel two that is over (with its files), then one still running.
  simulator.startStream(two.pullId);
  const seconds = () => Math.floor(clock / 1000);
  const done = await sdk.createRecordTask(client, {
    pullId: two.pullId,
    transNo: "seed-done",
    quickStart: true,
    endTime: seconds() + 120,
  });
  clock += 5 * 60_000;
  const running = await sdk.createRecordTask(client, {
    pullId: two.pullId,
    quickStart: true,
    endTime: seconds() + 3600,
  });
  const [file] = (await sdk.recordTaskQuery(client, { taskId: done.taskId })).fileList;
  const relay = await sdk.startForwardTask(client, {
    pullId: one.pullId,
    forwardUrl: "rtmp://relay.example.com/live/k",
    endTime: seconds() + 3600,
  });
  raw.length = 0;
  const ids: Record<string, string> = {
    p1: one.pullId,
    p2: two.pullId,
    "dir-1": directoryId,
    t1: running.taskId,
    n1: "seed-done",
    v1: file.videoId,
    f1: relay.taskId,
  };
  /** The ids an action's example names, for that action (`p1` is a pull-mode channel's there). */
  const idsFor = (name: string): Record<string, string> =>
    byName.get(name)!.resource == "pull-channels"
      ? { ...ids, p1: pull.pullId }
      : name == "recordTaskQuery"
      ? { ...ids, t1: done.taskId }
      : ids;
  return { client, raw, idsFor };
};

/** The example input with the ids it names replaced by the world's. */
const withIds = (input: Record<string, unknown>, ids: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(input).map(([field, value]) => [
      field,
      typeof value == "string" ? value.split(",").map((id) => ids[id] ?? id).join(",") : value,
    ]),
  );

Deno.test("every action of the spec answers through the simulator in its response shape", async (t) => {
  assert.equal(actions.length, spec.actions.length);
  for (const { name } of spec.actions) {
    await t.step(name, async () => {
      const { client, raw, idsFor } = await seededWorld();
      const output = byName.get(name)!.output;
      const data = await functions[name](client, withIds(examples[name], idsFor(name)));
      assert.equal(raw.length, 1);
      const sent = raw[0] as { code: number; data: unknown };
      assert.equal(sent.code, 200);
      assert.deepEqual(misfits(output, sent.data, `${name}: sent`), []);
      assert.deepEqual(misfits(output, data, `${name}: returned`), []);
    });
  }
});
