// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
/**
 * The action catalog: every action's name, path, resource and whether it only reads, with a loader
 * of its full definition. What a gateway needs to start, without building 29 schemas or loading
 * valibot; each action's module is imported on its first request.
 *
 * @module
 */

import type { OwnedCatalogEntry } from "./ownership.ts";

/**
 * Every action, grouped by resource in the order the README lists them, with what it does with the
 * objects a tenant owns (`ownership`).
 */
export const catalog: readonly OwnedCatalogEntry[] = [
  {
    name: "channelEdit",
    path: "/live/channelManage/channelEdit",
    resource: "channels",
    readOnly: false,
    ownership: { names: { directoryId: "directory", pullId: "channel" } },
    load: () =>
      import("./channels/channel_edit.ts")
        .then((module) => module.channelEditAction),
  },
  {
    name: "createChannel",
    path: "/live/channelManage/createChannel",
    resource: "channels",
    readOnly: false,
    ownership: { names: { directoryId: "directory" }, creates: { kind: "channel", id: "pullId" } },
    load: () =>
      import("./channels/create_channel.ts")
        .then((module) => module.createChannelAction),
  },
  {
    name: "deleteChannel",
    path: "/live/channelManage/deleteChannel",
    resource: "channels",
    readOnly: false,
    ownership: { names: { pullId: "channel" }, forgets: ["pullId"] },
    load: () =>
      import("./channels/delete_channel.ts")
        .then((module) => module.deleteChannelAction),
  },
  {
    name: "getChannelConf",
    path: "/live/channelManage/getChannelConfigure",
    resource: "channels",
    readOnly: true,
    ownership: { names: { pullId: "channel" } },
    load: () =>
      import("./channels/get_channel_conf.ts")
        .then((module) => module.getChannelConfAction),
  },
  {
    name: "getChannelList",
    path: "/live/channelManage/getChannelList",
    resource: "channels",
    readOnly: true,
    ownership: {
      lists: {
        kind: "channel",
        items: "channelList",
        id: "pullId",
        count: "channelToal",
        paged: true,
      },
    },
    load: () =>
      import("./channels/get_channel_list.ts")
        .then((module) => module.getChannelListAction),
  },
  {
    name: "getChannelShareUrl",
    path: "/live/channelManage/getChannelShareUrl",
    resource: "channels",
    readOnly: true,
    ownership: { names: { pullId: "channel" } },
    load: () =>
      import("./channels/get_channel_share_url.ts")
        .then((module) => module.getChannelShareUrlAction),
  },
  {
    name: "getSinglePullCode",
    path: "/live/channelManage/getSinglePullCode",
    resource: "channels",
    readOnly: true,
    ownership: { names: { pullId: "channel" } },
    load: () =>
      import("./channels/get_single_pull_code.ts")
        .then((module) => module.getSinglePullCodeAction),
  },
  {
    name: "setPullTsatc",
    path: "/live/channelManage/setPullTsatc",
    resource: "channels",
    readOnly: false,
    ownership: { names: { pullId: "channel" } },
    load: () =>
      import("./channels/set_pull_tsatc.ts")
        .then((module) => module.setPullTsatcAction),
  },
  {
    name: "setPushTsatc",
    path: "/live/channelManage/setPushTsatc",
    resource: "channels",
    readOnly: false,
    ownership: { names: { pullId: "channel" } },
    load: () =>
      import("./channels/set_push_tsatc.ts")
        .then((module) => module.setPushTsatcAction),
  },
  {
    name: "createPullChannel",
    path: "/live/channelManage/createPullChannel",
    resource: "pull-channels",
    readOnly: false,
    ownership: { creates: { kind: "channel", id: "pullId" } },
    load: () =>
      import("./pull_channels/create_pull_channel.ts")
        .then((module) => module.createPullChannelAction),
  },
  {
    name: "editPullChannel",
    path: "/live/channelManage/editPullChannel",
    resource: "pull-channels",
    readOnly: false,
    ownership: { names: { pullId: "channel" } },
    load: () =>
      import("./pull_channels/edit_pull_channel.ts")
        .then((module) => module.editPullChannelAction),
  },
  {
    name: "getPullChannelConfigure",
    path: "/live/channelManage/getPullChannelConfigure",
    resource: "pull-channels",
    readOnly: true,
    ownership: { names: { pullId: "channel" } },
    load: () =>
      import("./pull_channels/get_pull_channel_configure.ts")
        .then((module) => module.getPullChannelConfigureAction),
  },
  {
    name: "getPullChannelList",
    path: "/live/channelManage/getPullChannelList",
    resource: "pull-channels",
    readOnly: true,
    ownership: {
      lists: {
        kind: "channel",
        items: "channelList",
        id: "pullId",
        count: "channelToal",
        paged: true,
      },
    },
    load: () =>
      import("./pull_channels/get_pull_channel_list.ts")
        .then((module) => module.getPullChannelListAction),
  },
  {
    name: "batchChannelLiveState",
    path: "/live/channelManage/batchChannelLiveState",
    resource: "live-state",
    readOnly: true,
    ownership: {
      names: { pullIds: "channel" },
      lists: { kind: "channel", items: "", id: "pullId" },
    },
    load: () =>
      import("./live_state/batch_channel_live_state.ts")
        .then((module) => module.batchChannelLiveStateAction),
  },
  {
    name: "channelForbidden",
    path: "/live/channelManage/channelForbidden",
    resource: "live-state",
    readOnly: false,
    ownership: { names: { pullId: "channel" } },
    load: () =>
      import("./live_state/channel_forbidden.ts")
        .then((module) => module.channelForbiddenAction),
  },
  {
    name: "channelReBrodcast",
    path: "/live/channelManage/channelReBrodcast",
    resource: "live-state",
    readOnly: false,
    ownership: { names: { pullId: "channel" } },
    load: () =>
      import("./live_state/channel_re_brodcast.ts")
        .then((module) => module.channelReBrodcastAction),
  },
  {
    name: "disconnectStream",
    path: "/live/channelManage/disconnectStream",
    resource: "live-state",
    readOnly: false,
    ownership: { names: { pullId: "channel" } },
    load: () =>
      import("./live_state/disconnect_stream.ts")
        .then((module) => module.disconnectStreamAction),
  },
  {
    name: "getChannelLiveState",
    path: "/live/channelManage/getChannelLiveState",
    resource: "live-state",
    readOnly: true,
    ownership: { names: { pullId: "channel" } },
    load: () =>
      import("./live_state/get_channel_live_state.ts")
        .then((module) => module.getChannelLiveStateAction),
  },
  {
    name: "setChannelStateRealtimeBack",
    path: "/live/channelManage/setChannelStateRealtimeBack",
    resource: "live-state",
    readOnly: false,
    load: () =>
      import("./live_state/set_channel_state_realtime_back.ts")
        .then((module) => module.setChannelStateRealtimeBackAction),
  },
  {
    name: "createRecordTask",
    path: "/live/channelManage/createRecordTask",
    resource: "recording",
    readOnly: false,
    ownership: {
      names: { pullId: "channel" },
      creates: { kind: "recordTask", id: "taskId", existing: true },
    },
    load: () =>
      import("./recording/create_record_task.ts")
        .then((module) => module.createRecordTaskAction),
  },
  {
    name: "endRecordTask",
    path: "/live/channelManage/endRecordTask",
    resource: "recording",
    readOnly: false,
    ownership: { names: { taskId: "recordTask" } },
    load: () =>
      import("./recording/end_record_task.ts")
        .then((module) => module.endRecordTaskAction),
  },
  {
    name: "getRecordFileInfo",
    path: "/live/channelManage/getRecordFileInfo",
    resource: "recording",
    readOnly: true,
    ownership: {
      names: { pullIds: "channel" },
      lists: { kind: "channel", items: "", id: "pullId" },
    },
    load: () =>
      import("./recording/get_record_file_info.ts")
        .then((module) => module.getRecordFileInfoAction),
  },
  {
    name: "recordTaskQuery",
    path: "/live/channelManage/recordTaskQuery",
    resource: "recording",
    readOnly: true,
    ownership: {
      names: { taskId: "recordTask" },
      lists: { kind: "recordTask", items: "", id: "taskId" },
    },
    load: () =>
      import("./recording/record_task_query.ts")
        .then((module) => module.recordTaskQueryAction),
  },
  {
    name: "directoryCreate",
    path: "/live/recordDirectoryManage/directoryCreate",
    resource: "directories",
    readOnly: false,
    ownership: { creates: { kind: "directory", id: "directoryId" } },
    load: () =>
      import("./directories/directory_create.ts")
        .then((module) => module.directoryCreateAction),
  },
  {
    name: "getDirectory",
    path: "/live/recordDirectoryManage/getDirectory",
    resource: "directories",
    readOnly: true,
    ownership: { names: { directoryId: "directory" } },
    load: () =>
      import("./directories/get_directory.ts")
        .then((module) => module.getDirectoryAction),
  },
  {
    name: "getDirectoryList",
    path: "/live/recordDirectoryManage/getDirectoryList",
    resource: "directories",
    readOnly: true,
    ownership: {
      lists: {
        kind: "directory",
        items: "directoryList",
        id: "directoryId",
        total: "totalCount",
        paged: true,
      },
    },
    load: () =>
      import("./directories/get_directory_list.ts")
        .then((module) => module.getDirectoryListAction),
  },
  {
    name: "endForwardTask",
    path: "/live/forwardTask/endForwardTask",
    resource: "forwarding",
    readOnly: false,
    ownership: { names: { taskId: "forwardTask" } },
    load: () =>
      import("./forwarding/end_forward_task.ts")
        .then((module) => module.endForwardTaskAction),
  },
  {
    name: "getForwardTaskList",
    path: "/live/forwardTask/getForwardTaskList",
    resource: "forwarding",
    readOnly: true,
    ownership: {
      names: { pullId: "channel", taskId: "forwardTask" },
      lists: {
        kind: "forwardTask",
        items: "forwardTastList",
        id: "taskId",
        count: "total",
        paged: true,
      },
    },
    load: () =>
      import("./forwarding/get_forward_task_list.ts")
        .then((module) => module.getForwardTaskListAction),
  },
  {
    name: "startForwardTask",
    path: "/live/forwardTask/startForwardTask",
    resource: "forwarding",
    readOnly: false,
    ownership: { names: { pullId: "channel" }, creates: { kind: "forwardTask", id: "taskId" } },
    load: () =>
      import("./forwarding/start_forward_task.ts")
        .then((module) => module.startForwardTaskAction),
  },
];
