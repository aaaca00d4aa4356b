// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
/**
 * Where each action belongs and what it does, for the docs, the gateway and OpenAPI: kept apart
 * from the action modules so that client bundles carry no prose.
 *
 * @module
 */

import type { ActionInfo } from "../action.ts";
import type { ActionName } from "./types.ts";

/** Every action's resource and summary, by action name. */
const infos: Record<ActionName, ActionInfo> = {
  channelEdit: {
    resource: "channels",
    summary:
      "Changes a channel's settings (name, bit rates, recording, encryption, ...) or issues a new push URL.",
  },
  createChannel: {
    resource: "channels",
    summary:
      "Creates a push-mode channel and returns its new `pullId`; push and play URLs are generated for it.",
  },
  deleteChannel: {
    resource: "channels",
    summary: "Deletes one or more channels for good.",
  },
  getChannelConf: {
    resource: "channels",
    summary: "Reads a push-mode channel's settings with its push URL and every play URL.",
  },
  getChannelList: {
    resource: "channels",
    summary: "Lists channels a page at a time (see `paginateChannelList`).",
  },
  getChannelShareUrl: {
    resource: "channels",
    summary: "Gets the URL of a channel's hosted share page.",
  },
  getSinglePullCode: {
    resource: "channels",
    summary: "Gets a channel's embeddable player code and its play URLs.",
  },
  setPullTsatc: {
    resource: "channels",
    summary: "Issues play URLs signed with a time-limited anti-leech token.",
  },
  setPushTsatc: {
    resource: "channels",
    summary: "Issues a push URL signed with a time-limited anti-leech token.",
  },
  createPullChannel: {
    resource: "pull-channels",
    summary:
      "Creates a pull-mode channel that fetches its stream from an origin URL when players ask for it.",
  },
  editPullChannel: {
    resource: "pull-channels",
    summary: "Changes a pull-mode channel's name, origin URL, origin protocol or bit rates.",
  },
  getPullChannelConfigure: {
    resource: "pull-channels",
    summary: "Reads a pull-mode channel's settings with its origin and play URLs.",
  },
  getPullChannelList: {
    resource: "pull-channels",
    summary: "Lists pull-mode channels a page at a time (see `paginatePullChannelList`).",
  },
  batchChannelLiveState: {
    resource: "live-state",
    summary: "Tells whether each of several channels (or all of them) is live, idle or banned.",
  },
  channelForbidden: {
    resource: "live-state",
    summary: "Bans pushing to one or more channels (lifted automatically after 7 days).",
  },
  channelReBrodcast: {
    resource: "live-state",
    summary: "Lifts the ban on one or more channels so they can be pushed to again.",
  },
  disconnectStream: {
    resource: "live-state",
    summary: "Cuts the stream currently pushed to a channel; the next push reconnects.",
  },
  getChannelLiveState: {
    resource: "live-state",
    summary: "Tells whether one channel is live, idle or banned.",
  },
  setChannelStateRealtimeBack: {
    resource: "live-state",
    summary:
      "Turns push start/stop notifications for a push domain on or off and sets where they go.",
  },
  createRecordTask: {
    resource: "recording",
    summary: "Schedules (or starts now) the recording of a channel between two times.",
  },
  endRecordTask: {
    resource: "recording",
    summary: "Stops a recording task now.",
  },
  getRecordFileInfo: {
    resource: "recording",
    summary: "Reads recorded videos by channel or by video id.",
  },
  recordTaskQuery: {
    resource: "recording",
    summary: "Reads a recording task's status and the files it has produced.",
  },
  directoryCreate: {
    resource: "directories",
    summary: "Creates a record directory that channels can store recordings in.",
  },
  getDirectory: {
    resource: "directories",
    summary: "Reads one record directory.",
  },
  getDirectoryList: {
    resource: "directories",
    summary: "Lists record directories a page at a time (see `paginateDirectoryList`).",
  },
  endForwardTask: {
    resource: "forwarding",
    summary: "Stops a relay task.",
  },
  getForwardTaskList: {
    resource: "forwarding",
    summary:
      "Lists relay tasks, filtered by channel, task or status (see `paginateForwardTaskList`).",
  },
  startForwardTask: {
    resource: "forwarding",
    summary: "Relays a channel's stream to another RTMP address, now or between two times.",
  },
};

/** Where {@link channelEdit} belongs and what it does. */
export const channelEditInfo: ActionInfo = infos.channelEdit;

/** Where {@link createChannel} belongs and what it does. */
export const createChannelInfo: ActionInfo = infos.createChannel;

/** Where {@link deleteChannel} belongs and what it does. */
export const deleteChannelInfo: ActionInfo = infos.deleteChannel;

/** Where {@link getChannelConf} belongs and what it does. */
export const getChannelConfInfo: ActionInfo = infos.getChannelConf;

/** Where {@link getChannelList} belongs and what it does. */
export const getChannelListInfo: ActionInfo = infos.getChannelList;

/** Where {@link getChannelShareUrl} belongs and what it does. */
export const getChannelShareUrlInfo: ActionInfo = infos.getChannelShareUrl;

/** Where {@link getSinglePullCode} belongs and what it does. */
export const getSinglePullCodeInfo: ActionInfo = infos.getSinglePullCode;

/** Where {@link setPullTsatc} belongs and what it does. */
export const setPullTsatcInfo: ActionInfo = infos.setPullTsatc;

/** Where {@link setPushTsatc} belongs and what it does. */
export const setPushTsatcInfo: ActionInfo = infos.setPushTsatc;

/** Where {@link createPullChannel} belongs and what it does. */
export const createPullChannelInfo: ActionInfo = infos.createPullChannel;

/** Where {@link editPullChannel} belongs and what it does. */
export const editPullChannelInfo: ActionInfo = infos.editPullChannel;

/** Where {@link getPullChannelConfigure} belongs and what it does. */
export const getPullChannelConfigureInfo: ActionInfo = infos.getPullChannelConfigure;

/** Where {@link getPullChannelList} belongs and what it does. */
export const getPullChannelListInfo: ActionInfo = infos.getPullChannelList;

/** Where {@link batchChannelLiveState} belongs and what it does. */
export const batchChannelLiveStateInfo: ActionInfo = infos.batchChannelLiveState;

/** Where {@link channelForbidden} belongs and what it does. */
export const channelForbiddenInfo: ActionInfo = infos.channelForbidden;

/** Where {@link channelReBrodcast} belongs and what it does. */
export const channelReBrodcastInfo: ActionInfo = infos.channelReBrodcast;

/** Where {@link disconnectStream} belongs and what it does. */
export const disconnectStreamInfo: ActionInfo = infos.disconnectStream;

/** Where {@link getChannelLiveState} belongs and what it does. */
export const getChannelLiveStateInfo: ActionInfo = infos.getChannelLiveState;

/** Where {@link setChannelStateRealtimeBack} belongs and what it does. */
export const setChannelStateRealtimeBackInfo: ActionInfo = infos.setChannelStateRealtimeBack;

/** Where {@link createRecordTask} belongs and what it does. */
export const createRecordTaskInfo: ActionInfo = infos.createRecordTask;

/** Where {@link endRecordTask} belongs and what it does. */
export const endRecordTaskInfo: ActionInfo = infos.endRecordTask;

/** Where {@link getRecordFileInfo} belongs and what it does. */
export const getRecordFileInfoInfo: ActionInfo = infos.getRecordFileInfo;

/** Where {@link recordTaskQuery} belongs and what it does. */
export const recordTaskQueryInfo: ActionInfo = infos.recordTaskQuery;

/** Where {@link directoryCreate} belongs and what it does. */
export const directoryCreateInfo: ActionInfo = infos.directoryCreate;

/** Where {@link getDirectory} belongs and what it does. */
export const getDirectoryInfo: ActionInfo = infos.getDirectory;

/** Where {@link getDirectoryList} belongs and what it does. */
export const getDirectoryListInfo: ActionInfo = infos.getDirectoryList;

/** Where {@link endForwardTask} belongs and what it does. */
export const endForwardTaskInfo: ActionInfo = infos.endForwardTask;

/** Where {@link getForwardTaskList} belongs and what it does. */
export const getForwardTaskListInfo: ActionInfo = infos.getForwardTaskList;

/** Where {@link startForwardTask} belongs and what it does. */
export const startForwardTaskInfo: ActionInfo = infos.startForwardTask;
