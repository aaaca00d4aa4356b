/** The simulator's handler of every action, by action name. */

import type { Handlers } from "../store.ts";
import { channelHandlers } from "./channels.ts";
import { pullChannelHandlers } from "./pull_channels.ts";
import { liveStateHandlers } from "./live_state.ts";
import { recordingHandlers } from "./recording.ts";
import { directoryHandlers } from "./directories.ts";
import { forwardingHandlers } from "./forwarding.ts";

/** Every action's handler: the type map makes a missing one a compile error. */
export const handlers: Handlers = {
  ...channelHandlers,
  ...pullChannelHandlers,
  ...liveStateHandlers,
  ...recordingHandlers,
  ...directoryHandlers,
  ...forwardingHandlers,
};
