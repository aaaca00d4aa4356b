// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
/**
 * Where each action belongs and what it does, for the docs, the gateway and OpenAPI: kept apart
 * from the action modules so that client bundles carry no prose.
 *
 * @module
 */

import type { ActionInfo } from "../action.ts";

/** Where {@link channelEdit} belongs and what it does. */
export const channelEditInfo: ActionInfo = {
  resource: "channels",
  summary:
    "Changes a channel's settings (name, bit rates, recording, encryption, ...) or issues a new push URL.",
};

/** Where {@link createChannel} belongs and what it does. */
export const createChannelInfo: ActionInfo = {
  resource: "channels",
  summary:
    "Creates a push-mode channel and returns its new `pullId`; push and play URLs are generated for it.",
};

/** Where {@link deleteChannel} belongs and what it does. */
export const deleteChannelInfo: ActionInfo = {
  resource: "channels",
  summary: "Deletes one or more channels for good.",
};

/** Where {@link getChannelConf} belongs and what it does. */
export const getChannelConfInfo: ActionInfo = {
  resource: "channels",
  summary: "Reads a push-mode channel's settings with its push URL and every play URL.",
};

/** Where {@link getChannelList} belongs and what it does. */
export const getChannelListInfo: ActionInfo = {
  resource: "channels",
  summary: "Lists channels a page at a time (see `paginateChannelList`).",
};

/** Where {@link getChannelShareUrl} belongs and what it does. */
export const getChannelShareUrlInfo: ActionInfo = {
  resource: "channels",
  summary: "Gets the URL of a channel's hosted share page.",
};

/** Where {@link getSinglePullCode} belongs and what it does. */
export const getSinglePullCodeInfo: ActionInfo = {
  resource: "channels",
  summary: "Gets a channel's embeddable player code and its play URLs.",
};

/** Where {@link setPullTsatc} belongs and what it does. */
export const setPullTsatcInfo: ActionInfo = {
  resource: "channels",
  summary: "Issues play URLs signed with a time-limited anti-leech token.",
};

/** Where {@link setPushTsatc} belongs and what it does. */
export const setPushTsatcInfo: ActionInfo = {
  resource: "channels",
  summary: "Issues a push URL signed with a time-limited anti-leech token.",
};

/** Where {@link createPullChannel} belongs and what it does. */
export const createPullChannelInfo: ActionInfo = {
  resource: "pull-channels",
  summary:
    "Creates a pull-mode channel that fetches its stream from an origin URL when players ask for it.",
};

/** Where {@link editPullChannel} belongs and what it does. */
export const editPullChannelInfo: ActionInfo = {
  resource: "pull-channels",
  summary: "Changes a pull-mode channel's name, origin URL, origin protocol or bit rates.",
};

/** Where {@link getPullChannelConfigure} belongs and what it does. */
export const getPullChannelConfigureInfo: ActionInfo = {
  resource: "pull-channels",
  summary: "Reads a pull-mode channel's settings with its origin and play URLs.",
};

/** Where {@link getPullChannelList} belongs and what it does. */
export const getPullChannelListInfo: ActionInfo = {
  resource: "pull-channels",
  summary: "Lists pull-mode channels a page at a time (see `paginatePullChannelList`).",
};

/** Where {@link batchChannelLiveState} belongs and what it does. */
export const batchChannelLiveStateInfo: ActionInfo = {
  resource: "live-state",
  summary: "Tells whether each of several channels (or all of them) is live, idle or banned.",
};

/** Where {@link channelForbidden} belongs and what it does. */
export const channelForbiddenInfo: ActionInfo = {
  resource: "live-state",
  summary: "Bans pushing to one or more channels (lifted automatically after 7 days).",
};

/** Where {@link channelReBrodcast} belongs and what it does. */
export const channelReBrodcastInfo: ActionInfo = {
  resource: "live-state",
  summary: "Lifts the ban on one or more channels so they can be pushed to again.",
};

/** Where {@link disconnectStream} belongs and what it does. */
export const disconnectStreamInfo: ActionInfo = {
  resource: "live-state",
  summary: "Cuts the stream currently pushed to a channel; the next push reconnects.",
};

/** Where {@link getChannelLiveState} belongs and what it does. */
export const getChannelLiveStateInfo: ActionInfo = {
  resource: "live-state",
  summary: "Tells whether one channel is live, idle or banned.",
};

/** Where {@link setChannelStateRealtimeBack} belongs and what it does. */
export const setChannelStateRealtimeBackInfo: ActionInfo = {
  resource: "live-state",
  summary:
    "Turns push start/stop notifications for a push domain on or off and sets where they go.",
};

/** Where {@link createRecordTask} belongs and what it does. */
export const createRecordTaskInfo: ActionInfo = {
  resource: "recording",
  summary: "Schedules (or starts now) the recording of a channel between two times.",
};

/** Where {@link endRecordTask} belongs and what it does. */
export const endRecordTaskInfo: ActionInfo = {
  resource: "recording",
  summary: "Stops a recording task now.",
};

/** Where {@link getRecordFileInfo} belongs and what it does. */
export const getRecordFileInfoInfo: ActionInfo = {
  resource: "recording",
  summary: "Reads recorded videos by channel or by video id.",
};

/** Where {@link recordTaskQuery} belongs and what it does. */
export const recordTaskQueryInfo: ActionInfo = {
  resource: "recording",
  summary: "Reads a recording task's status and the files it has produced.",
};

/** Where {@link directoryCreate} belongs and what it does. */
export const directoryCreateInfo: ActionInfo = {
  resource: "directories",
  summary: "Creates a record directory that channels can store recordings in.",
};

/** Where {@link getDirectory} belongs and what it does. */
export const getDirectoryInfo: ActionInfo = {
  resource: "directories",
  summary: "Reads one record directory.",
};

/** Where {@link getDirectoryList} belongs and what it does. */
export const getDirectoryListInfo: ActionInfo = {
  resource: "directories",
  summary: "Lists record directories a page at a time (see `paginateDirectoryList`).",
};

/** Where {@link endForwardTask} belongs and what it does. */
export const endForwardTaskInfo: ActionInfo = {
  resource: "forwarding",
  summary: "Stops a relay task.",
};

/** Where {@link getForwardTaskList} belongs and what it does. */
export const getForwardTaskListInfo: ActionInfo = {
  resource: "forwarding",
  summary:
    "Lists relay tasks, filtered by channel, task or status (see `paginateForwardTaskList`).",
};

/** Where {@link startForwardTask} belongs and what it does. */
export const startForwardTaskInfo: ActionInfo = {
  resource: "forwarding",
  summary: "Relays a channel's stream to another RTMP address, now or between two times.",
};
