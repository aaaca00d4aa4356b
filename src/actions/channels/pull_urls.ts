// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
/**
 * Play-URL shapes shared by the channel actions' responses.
 *
 * @module
 */

import { type ObjectShape, str } from "../../shape.ts";

/** Play URLs of one protocol, one per bit rate; `Zkgq` variants are the smart-HD transcodes. */
export interface PlayUrls {
  /** Source bit rate. */
  originPullUrl: string;
  /** Source bit rate, smart HD. */
  originZkgqPullUrl: string;
  /** Smooth bit rate. */
  fluentPullUrl: string;
  /** Smooth bit rate, smart HD. */
  fluentZkgqPullUrl: string;
  /** Standard definition. */
  sdPullUrl: string;
  /** Standard definition, smart HD. */
  sdZkgqPullUrl: string;
  /** High definition. */
  highPullUrl: string;
  /** High definition, smart HD. */
  highZkgqPullUrl: string;
  /** Ultra HD. */
  hdPullUrl: string;
  /** Ultra HD, smart HD. */
  hdZkgqPullUrl: string;
}

/** Internal: the response shape of {@link PlayUrls}. */
export const playUrlsShape: ObjectShape = {
  originPullUrl: str,
  originZkgqPullUrl: str,
  fluentPullUrl: str,
  fluentZkgqPullUrl: str,
  sdPullUrl: str,
  sdZkgqPullUrl: str,
  highPullUrl: str,
  highZkgqPullUrl: str,
  hdPullUrl: str,
  hdZkgqPullUrl: str,
};

/** {@link PlayUrls} plus the audio-only URL. */
export interface PullUrlSet extends PlayUrls {
  /** Audio-only URL. */
  audioUrl: string;
}

/** Internal: the response shape of {@link PullUrlSet}. */
export const pullUrlSetShape: ObjectShape = {
  ...playUrlsShape,
  audioUrl: str,
};

/** The play URLs of a channel on one pull domain and protocol. */
export interface PullConfiguration {
  /** Domain players pull from. */
  pullDomain: string;
  /** Pull protocol. */
  pullProtocol: string;
  /** URL sets. */
  pullUrlList: PullUrlSet[];
}

/** Internal: the response shape of {@link PullConfiguration}. */
export const pullConfigurationShape: ObjectShape = {
  pullDomain: str,
  pullProtocol: str,
  pullUrlList: [pullUrlSetShape],
};
