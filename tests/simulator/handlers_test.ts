// The simulator's handler table is typed from the action spec's type map: a table without one
// action's handler, or a handler taking another action's input or giving another's output, does
// not compile (the `@ts-expect-error` lines below fail `deno check`, and so `deno test`, the day
// they compile), and the table the simulator serves holds exactly the spec's actions.
import assert from "node:assert/strict";
import spec from "../../src/actions/spec.json" with { type: "json" };
import type { Handlers } from "../../src/simulator/store.ts";
import { handlers } from "../../src/simulator/handlers/mod.ts";

const { createChannel: _forgotten, ...withoutCreateChannel } = handlers;
// @ts-expect-error: createChannel has no handler
const _missingOne: Handlers = withoutCreateChannel;

const _wrongInput: Handlers = {
  ...handlers,
  // @ts-expect-error: getChannelConf's input has a pullId, not a taskId
  getChannelConf: (_context, input: { taskId: string }) => ({ taskId: input.taskId }),
};

const _wrongOutput: Handlers = {
  ...handlers,
  // @ts-expect-error: getChannelLiveState answers a channelState, not a list
  getChannelLiveState: () => [],
};

Deno.test("the simulator has a handler for exactly the spec's actions", () => {
  assert.deepEqual(Object.keys(handlers).sort(), spec.actions.map((action) => action.name).sort());
});
