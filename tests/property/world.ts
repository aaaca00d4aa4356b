/**
 * A simulator and a client on one virtual clock, and the state an accepted input needs to be
 * answered with success: the channels, directories and tasks it names exist, and the clock
 * stands where the input's times are still ahead (a recording that starts in two minutes, a
 * relay that ends in ten). Everything else is cleared before each input.
 *
 * @module
 */

import * as sdk from "../../mod.ts";
import { createSimulator, type SimChannel } from "../../src/simulator/mod.ts";
import { kinds } from "./oracle.ts";

/** What one call sent and got. */
export interface Exchange {
  /** The request bodies sent (none when the SDK refused the input). */
  readonly bodies: string[];
  /** The HTTP statuses answered. */
  readonly statuses: number[];
}

const T0 = Date.UTC(2025, 10, 24, 8, 0, 0);
/** Channels of these actions must be pull-mode; every other action takes push-mode ones. */
const PULL_MODE = ["editPullChannel", "getPullChannelConfigure"];

/** A simulator, a client of it with no retries, and the per-input preparation. */
export function createWorld() {
  let time = T0;
  const simulator = createSimulator({
    now: () => time,
    // Thousands of calls from one account in a moment of simulated time: neither the rate
    // limit nor replay protection is what is tested here.
    rateLimit: false,
    replayProtection: false,
    callbacks: false,
  });
  const exchange = { bodies: [] as string[], statuses: [] as number[] };
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    exchange.bodies.push(await request.clone().text());
    const response = await simulator.fetch(request);
    exchange.statuses.push(response.status);
    return response;
  };
  const client = sdk.createClient({
    ...simulator.credentials[0],
    fetch,
    retries: 0,
    now: () => time,
  });
  const { store } = simulator;

  const channel = (pullId: string, mode: "push" | "pull"): SimChannel => ({
    pullId,
    mode,
    pushId: "seededpush",
    channelName: "seeded",
    channelType: "live",
    pushDomain: "push.example.com",
    pullDomain: "play.example.com",
    pullProtocol: "0,1",
    pullRate: "0",
    playerId: "",
    directoryId: "",
    check: "",
    live2vod: "0",
    appScenario: "",
    videoEncrypted: 0,
    hlsEncryptDuration: 0,
    sourcePullUrl: mode == "pull" ? "rtmp://origin.example.com/live/s" : "",
    sourcePullProtocol: mode == "pull" ? "0" : "",
    createdAt: time,
    sequence: ++store.sequence,
    userId: simulator.credentials[0].accessKey,
    spans: [],
  });

  /** Clears the state and the exchange; for a valid input, makes what it names exist. */
  const prepare = (action: string, input: unknown, valid: boolean) => {
    exchange.bodies.length = 0;
    exchange.statuses.length = 0;
    store.channels.clear();
    store.directories.clear();
    store.recordTasks.clear();
    store.forwardTasks.clear();
    store.stateCallbacks.clear();
    store.notifications.length = 0;
    time = T0;
    if (!valid) return;
    const fields = input as Record<string, unknown>;
    const given = (name: string) =>
      typeof fields[name] == "string" && fields[name] != "" ? fields[name] as string : undefined;
    // Every channel it names (a list is split), in the mode the action works on.
    for (const name of ["pullId", "pullIds"]) {
      const value = given(name);
      if (value === undefined) continue;
      const list = kinds[action][name] != "id";
      for (const pullId of list ? value.split(",") : [value]) {
        store.channels.set(pullId, channel(pullId, PULL_MODE.includes(action) ? "pull" : "push"));
      }
    }
    const directoryId = given("directoryId");
    if (directoryId !== undefined) {
      store.directories.set(directoryId, {
        directoryId,
        directoryType: "seeded",
        firstLevelDirectory: "events",
        secondLevelDirectory: "",
        thirdLevelDirectory: "",
        createdAt: time,
        updatedAt: time,
      });
    }
    const taskId = given("taskId");
    if (action == "endRecordTask" || action == "recordTaskQuery") {
      const id = taskId ?? "seeded-task";
      store.recordTasks.set(id, {
        taskId: id,
        transNo: given("transNo") ?? "",
        pullId: "seeded",
        start: time,
        end: time + 3_600_000,
        fileType: "mp4",
        notifyUrl: "",
        directoryPath: "",
      });
    }
    if (action == "endForwardTask" && taskId !== undefined) {
      store.forwardTasks.set(taskId, {
        taskId,
        pullId: "seeded",
        forwardUrl: "rtmp://relay.example.com/live/k",
        start: time,
        codingParams: {},
        notifyUrl: "",
        createdAt: time,
      });
    }
    // The clock two minutes (recording) or ten minutes (relay) before the input's times, where
    // the service's "later than the current time" rules hold.
    const { quickStart, startTime, endTime } = fields as Record<string, number | undefined>;
    if (action == "createRecordTask") {
      time = ((quickStart ? endTime : startTime) as number) * 1000 - 120_000;
    }
    if (action == "startForwardTask" && (startTime ?? endTime) !== undefined) {
      time = ((startTime ?? endTime) as number) * 1000 - 600_000;
    }
  };

  return { simulator, client, exchange: exchange as Exchange, prepare };
}
