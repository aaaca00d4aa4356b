// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
/**
 * The settings a push-mode channel takes both when it is created and at every edit.
 *
 * @module
 */

import { string } from "valibot";
import {
  funcConfig,
  id,
  optional,
  positiveSeconds,
  stringFlag,
  videoEncrypted,
  whiteBoardConfig,
} from "../rules.ts";

/** Channel settings shared by `createChannel` and `channelEdit`; all optional. */
export interface ChannelSettings {
  /** Record directory id (from `directoryCreate`). */
  directoryId?: string;
  /** Stream check string. */
  check?: string;
  /** Whiteboard settings: URL-safe base64 of `{"open":0|1,"whiteBoardId":"..."}`. */
  whiteBoardConfig?: string;
  /** Page functions: URL-safe base64 of `{"share":0|1}` (show the share button). */
  funcConfig?: string;
  /** Record every push (`"1"`) or not (`"0"`); ignored without the recording add-on. */
  live2vod?: "0" | "1";
  /** Application scenario; it must already exist. */
  appScenario?: string;
  /**
   * Stream encryption: 0 none (default), 1 HLS encryption, 2 DRM.
   *
   * @default 0
   */
  videoEncrypted?: 0 | 1 | 2;
  /**
   * How long HLS encryption keys stay valid, in seconds (604800, 7 days, by default).
   *
   * @default 604800
   */
  hlsEncryptDuration?: number;
}

/** Internal: the input schema entries of {@link ChannelSettings}. */
export const channelSettingsEntries = () => ({
  directoryId: optional(id),
  check: optional(string),
  whiteBoardConfig: optional(whiteBoardConfig),
  funcConfig: optional(funcConfig),
  live2vod: optional(stringFlag),
  appScenario: optional(id),
  videoEncrypted: optional(videoEncrypted),
  hlsEncryptDuration: optional(positiveSeconds),
});
