// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
/**
 * What each action's input fields mean, by action name and field path (`pageSize`, and
 * `field.inner` or `list[].inner` for nested ones): the descriptions of the fields in the
 * gateway's OpenAPI document and MCP tools (`jsonSchemaOf`'s `docs`). Kept apart from the
 * action modules so that client bundles carry no prose.
 *
 * @module
 */

import type { FieldDocs } from "../json_schema.ts";
import type { ActionName } from "./types.ts";

/** The docs of {@link ChannelSettings}'s fields, which channelEdit and createChannel take. */
const channelSettingsDocs: FieldDocs = {
  "directoryId": "Record directory id (from `directoryCreate`).",
  "check": "Stream check string.",
  "whiteBoardConfig":
    'Whiteboard settings: URL-safe base64 of `{"open":0|1,"whiteBoardId":"..."}`.',
  "funcConfig": 'Page functions: URL-safe base64 of `{"share":0|1}` (show the share button).',
  "live2vod": 'Record every push (`"1"`) or not (`"0"`); ignored without the recording add-on.',
  "appScenario": "Application scenario; it must already exist.",
  "videoEncrypted": "Stream encryption: 0 none (default), 1 HLS encryption, 2 DRM.",
  "hlsEncryptDuration":
    "How long HLS encryption keys stay valid, in seconds (604800, 7 days, by default).",
};

/** Every action's input fields' docs, by action name. */
export const fieldDocs: Readonly<Record<ActionName, FieldDocs>> = {
  channelEdit: {
    ...channelSettingsDocs,
    "pullId": "The channel's `pullId`.",
    "channelName": "New display name, at most 255 characters.",
    "resetPushId": '`"1"` issues a new push id (and push URL); `"0"` (default) keeps it.',
    "pullRate":
      "Play bit rates, comma-separated: 0 source, 1 smooth, 2 SD, 3 HD, 4 ultra HD; each must be transcoded by the domain.",
  },
  createChannel: {
    ...channelSettingsDocs,
    "channelName": "Display name, at most 255 characters.",
    "channelType":
      "Channel type configured on the push domain (letters, digits, underscores); it becomes the application part of the push URL.",
    "pushDomain": "Domain encoders push to; it must be set up on the account.",
    "pullProtocol":
      "Play protocols, comma-separated: 0 RTMP (default), 1 HTTP-FLV, 2 HLS, 3 HDS (not 2 with 3); each must be enabled on the domain.",
    "pullRate":
      "Play bit rates, comma-separated: 0 source, 1 smooth, 2 SD, 3 HD, 4 ultra HD; each must be transcoded by the domain.",
    "playerId": "Player id; the default player when omitted.",
  },
  deleteChannel: {
    "pullId": "`pullId`s of the channels to delete, comma-separated.",
  },
  getChannelConf: {
    "pullId": "The channel's `pullId`.",
  },
  getChannelList: {
    "listOrder": "Order by creation time: 0 newest first (default), 1 oldest first.",
    "pageIndex": "Page number, from 1 (default 1).",
    "pageSize": "Items per page, 1 to 50 (default 10).",
    "appScenario": "Application scenario; it must already exist.",
  },
  getChannelShareUrl: {
    "pullId": "The channel's `pullId`.",
  },
  getSinglePullCode: {
    "pullId": "The channel's `pullId`.",
    "playerId": "Player id; the default player when omitted.",
    "playerSize": "Player size `W*H`: 480*360 (default) up to 1920*1080.",
    "autoPlay": "1 plays automatically, 0 (default) waits for a click.",
    "codeType":
      'Which code to return: `"0"` all (default), `"2"` SWF, `"4"` video URLs, `"5"` adaptive.',
  },
  setPullTsatc: {
    "pullId": "The channel's `pullId`.",
    "effectiveHourLong":
      'How long the signed URL stays valid, in seconds, as a string (e.g. `"3600"`).',
  },
  setPushTsatc: {
    "pullId": "The channel's `pullId`.",
    "effectiveHourLong":
      'How long the signed URL stays valid, in seconds, as a string (e.g. `"3600"`).',
  },
  createPullChannel: {
    "channelName": "Display name, at most 255 characters.",
    "sourcePullUrl": "Origin URL the stream is fetched from.",
    "sourcePullProtocol": 'Origin protocol: `"0"` RTMP, `"1"` HTTP-FLV.',
    "pullDomain": "Domain players pull from; it must be set up on the account.",
    "pullProtocol":
      "Play protocols, comma-separated: 0 RTMP (default), 1 HTTP-FLV, 2 HLS, 3 HDS (not 2 with 3); each must be enabled on the domain.",
    "pullRate":
      "Play bit rates, comma-separated: 0 source, 1 smooth, 2 SD, 3 HD, 4 ultra HD; each must be transcoded by the domain.",
    "playerId": "Player id; the default player when omitted.",
  },
  editPullChannel: {
    "pullId": "The channel's `pullId`.",
    "channelName": "New display name, at most 255 characters.",
    "sourcePullUrl": "Origin URL the stream is fetched from.",
    "sourcePullProtocol": 'Origin protocol: `"0"` RTMP, `"1"` HTTP-FLV, `"2"` HLS, `"3"` HDS.',
    "pullRate":
      "Play bit rates, comma-separated: 0 source, 1 smooth, 2 SD, 3 HD, 4 ultra HD; each must be transcoded by the domain.",
  },
  getPullChannelConfigure: {
    "pullId": "The channel's `pullId`.",
  },
  getPullChannelList: {
    "listOrder": "Order by creation time: 0 newest first (default), 1 oldest first.",
    "pageIndex": "Page number, from 1 (default 1).",
    "pageSize": "Items per page, 1 to 50 (default 10).",
  },
  batchChannelLiveState: {
    "pullIds": 'Channel `pullId`s, comma-separated; `""` for every channel.',
  },
  channelForbidden: {
    "pullId": "`pullId`s of the channels to ban, comma-separated.",
  },
  channelReBrodcast: {
    "pullId": "`pullId`s of the channels to re-open, comma-separated.",
  },
  disconnectStream: {
    "pullId": "The channel's `pullId`.",
  },
  getChannelLiveState: {
    "pullId": "The channel's `pullId`.",
  },
  setChannelStateRealtimeBack: {
    "domainName": "The push domain the setting applies to.",
    "notifyUrl": "Where push start/stop notifications are sent (as HTTP GET).",
    "open": "1 turns notifications on, 0 off.",
  },
  createRecordTask: {
    "pullId": "The channel to record; it may have only one pending or running task.",
    "transNo": "Your own unique id for the task (at most 32 characters).",
    "quickStart": "`true` records from now (leave `startTime` out); `false` waits for `startTime`.",
    "startTime":
      "When to start, Unix seconds (minute precision); required unless `quickStart` is true, which forbids it.",
    "endTime":
      "When to stop, Unix seconds (minute precision); after the start, at most 72 hours later.",
    "notifyUrl": "Where recording notifications are sent.",
    "fileType": "Recording format: `mp4` (default), `flv` or `m3u8`.",
    "isConcat":
      'Join the pieces into one file; needs `fileType: "m3u8"`; not for third-party storage.',
    "httpPullRecord": "Record by pulling over HTTP (HTTP-FLV preferred, else HLS) instead of RTMP.",
    "key": "Storage path (without suffix) for third-party storage.",
  },
  endRecordTask: {
    "taskId": "Task id returned when the task was created.",
  },
  getRecordFileInfo: {
    "pullIds": "Channel `pullId`s whose recordings to read, comma-separated.",
    "videoIds": "Video ids, comma-separated.",
  },
  recordTaskQuery: {
    "taskId": "Task id; used when both ids are given.",
    "transNo": "Your own id given at creation.",
  },
  directoryCreate: {
    "directoryType":
      "A name for the directory, unique on the account: up to 40 letters, digits, underscores.",
    "firstLevelDirectory":
      "First path level: lowercase letters, digits and `-`, up to 128; not starting with `cloudv`, not a reserved word.",
    "secondLevelDirectory":
      "Second path level: lowercase letters, digits and `-`, up to 128; not starting with `cloudv`.",
    "thirdLevelDirectory":
      "Third path level: lowercase letters, digits and `-`, up to 128; not starting with `cloudv`.",
  },
  getDirectory: {
    "directoryId": "Record directory id (from `directoryCreate`).",
  },
  getDirectoryList: {
    "pageIndex": "Page number, from 1 (default 1).",
    "pageSize": "Items per page, 1 to 50 (default 10).",
  },
  endForwardTask: {
    "taskId": "Task id returned when the task was created.",
  },
  getForwardTaskList: {
    "pullId": "Only tasks of this channel.",
    "taskId": "Only this task.",
    "status":
      "Task states to include, joined by `-`: 0 not started, 1 relaying, 2 ended, 3 failed.",
    "pageIndex": "Page number, from 1 (default 1).",
    "pageSize": "Items per page, 1 to 50 (default 10).",
  },
  startForwardTask: {
    "pullId": "The channel's `pullId`.",
    "forwardUrl": "RTMP address to relay to.",
    "startTime": "When to start, Unix seconds; now when omitted or past.",
    "endTime": "When to stop, Unix seconds; more than 5 minutes after the start and after now.",
    "codingParams":
      'Transcoding for the relay: a JSON object as a string, e.g. `{"bitrate":1200,"resolution":"1280x720"}`.',
    "notifyUrl": "Where relay notifications are sent.",
  },
};
