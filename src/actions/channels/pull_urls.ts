/**
 * Play-URL shapes shared by the channel actions' responses.
 *
 * @module
 */

import { type Shape, str } from "../wire.ts";

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

/** {@link PlayUrls} plus the audio-only URL. */
export interface PullUrlSet extends PlayUrls {
  /** Audio-only URL. */
  audioUrl: string;
}

/** The play URLs of a channel on one pull domain and protocol. */
export interface PullConfiguration {
  /** Domain players pull from. */
  pullDomain: string;
  /** Pull protocol. */
  pullProtocol: string;
  /** URL sets. */
  pullUrlList: PullUrlSet[];
}

/** Internal: response schema entries of {@link PlayUrls}. */
export const playUrlsEntries: Record<string, Shape> = {
  /** Source bit rate. */
  originPullUrl: str,
  /** Source bit rate, smart HD. */
  originZkgqPullUrl: str,
  /** Smooth bit rate. */
  fluentPullUrl: str,
  /** Smooth bit rate, smart HD. */
  fluentZkgqPullUrl: str,
  /** Standard definition. */
  sdPullUrl: str,
  /** Standard definition, smart HD. */
  sdZkgqPullUrl: str,
  /** High definition. */
  highPullUrl: str,
  /** High definition, smart HD. */
  highZkgqPullUrl: str,
  /** Ultra HD. */
  hdPullUrl: str,
  /** Ultra HD, smart HD. */
  hdZkgqPullUrl: str,
};

/** Internal: response schema entries of {@link PullUrlSet}. */
export const pullUrlSetEntries: Record<string, Shape> = { ...playUrlsEntries, audioUrl: str };

/** Internal: response schema of {@link PullConfiguration}. */
export const pullConfigurationSchema: Shape = {
  pullDomain: str,
  pullProtocol: str,
  /** Play URLs by bit rate. */
  pullUrlList: [pullUrlSetEntries],
};
