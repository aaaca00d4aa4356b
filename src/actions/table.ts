/**
 * Every action definition in one table, for the code that serves or describes the whole API
 * (simulator, gateway, OpenAPI document). Client code imports single actions instead, so that
 * bundles stay small.
 *
 * @module
 */

import { type ActionInfo, type DescribedAction, isActionDefinition } from "../action.ts";
import * as channels from "./channels/mod.ts";
import * as pullChannels from "./pull_channels/mod.ts";
import * as liveState from "./live_state/mod.ts";
import * as recording from "./recording/mod.ts";
import * as directories from "./directories/mod.ts";
import * as forwarding from "./forwarding/mod.ts";

/** All actions with their info, grouped by resource in the order the README lists them. */
export const actions: readonly DescribedAction[] = [
  channels,
  pullChannels,
  liveState,
  recording,
  directories,
  forwarding,
].flatMap((group) =>
  Object.values(group).filter(isActionDefinition).map((definition) => ({
    ...definition,
    ...(group as unknown as Record<string, ActionInfo>)[`${definition.name}Info`],
  }))
);
