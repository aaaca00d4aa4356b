/**
 * TypeScript SDK for Wangsu's (ChinaNetCenter's) live-streaming Channels Management API: the
 * CNC-HMAC-SHA256 signer, a client with timeouts and typed errors, and one validated,
 * tree-shakable function per API action.
 *
 * @example
 * ```ts
 * import { createChannel, createClient, getChannelConf } from "@wangsu/sdk";
 *
 * const client = createClient({ accessKey: "AK...", secretKey: "SK..." });
 * const { pullId } = await createChannel(client, {
 *   channelName: "Launch event",
 *   channelType: "live",
 *   pushDomain: "push.example.com",
 *   pullRate: "0",
 * });
 * const channel = await getChannelConf(client, { pullId });
 * console.log(channel.pushConfigureInfo[0]?.pushUrl);
 * ```
 *
 * @module
 */

export {
  buildStringToSign,
  type Credentials,
  normalizeSignedHeaders,
  type SignableRequest,
  type SignOptions,
  signRequest,
  signRequestSync,
} from "./src/signer.ts";
export {
  type VerifyFailureReason,
  type VerifyOptions,
  verifyRequest,
  type VerifyResult,
} from "./src/verifier.ts";
export {
  type ErrorContext,
  type ValidationIssue,
  WangsuApiError,
  WangsuError,
  WangsuNetworkError,
  WangsuTimeoutError,
  WangsuValidationError,
} from "./src/errors.ts";
export {
  type AttemptInfo,
  type ClientOptions,
  createClient,
  type ResponseInfo,
  type RetryInfo,
  type WangsuClient,
} from "./src/client.ts";
export {
  createRateLimiter,
  type RateLimiter,
  type RateLimiterOptions,
} from "./src/rate_limiter.ts";
export type { CallOptions, Envelope } from "./src/transport.ts";
export { invoke, type InvokeRequest } from "./src/invoke.ts";
export {
  type ActionDefinition,
  type ActionInfo,
  callAction,
  type DescribedAction,
  type Resource,
} from "./src/action.ts";
export type { Shape } from "./src/shape.ts";
export type { Schema, SchemaResult } from "./src/schema.ts";
export {
  paginateChannelList,
  paginateDirectoryList,
  paginateForwardTaskList,
  paginatePullChannelList,
} from "./src/paginate.ts";
export {
  type ChannelState,
  type ForwardTaskState,
  type RecordTaskState,
  waitForChannelState,
  waitForForwardTask,
  waitForRecordTask,
  type WaitOptions,
  WangsuWaitError,
} from "./src/waiters.ts";
export * from "./src/actions/channels/mod.ts";
export * from "./src/actions/pull_channels/mod.ts";
export * from "./src/actions/live_state/mod.ts";
export * from "./src/actions/recording/mod.ts";
export * from "./src/actions/directories/mod.ts";
export * from "./src/actions/forwarding/mod.ts";
