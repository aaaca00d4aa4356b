// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
/**
 * Every action's input and output type, by action name: what code serving every action (the
 * simulator's handlers) is typed from, so that an action without a handler does not compile.
 *
 * @module
 */

import type { ChannelEditInput, ChannelEditOutput } from "./channels/channel_edit.ts";
import type { CreateChannelInput, CreateChannelOutput } from "./channels/create_channel.ts";
import type { DeleteChannelInput, DeleteChannelOutput } from "./channels/delete_channel.ts";
import type { GetChannelConfInput, GetChannelConfOutput } from "./channels/get_channel_conf.ts";
import type { GetChannelListInput, GetChannelListOutput } from "./channels/get_channel_list.ts";
import type {
  GetChannelShareUrlInput,
  GetChannelShareUrlOutput,
} from "./channels/get_channel_share_url.ts";
import type {
  GetSinglePullCodeInput,
  GetSinglePullCodeOutput,
} from "./channels/get_single_pull_code.ts";
import type { SetPullTsatcInput, SetPullTsatcOutput } from "./channels/set_pull_tsatc.ts";
import type { SetPushTsatcInput, SetPushTsatcOutput } from "./channels/set_push_tsatc.ts";
import type {
  CreatePullChannelInput,
  CreatePullChannelOutput,
} from "./pull_channels/create_pull_channel.ts";
import type {
  EditPullChannelInput,
  EditPullChannelOutput,
} from "./pull_channels/edit_pull_channel.ts";
import type {
  GetPullChannelConfigureInput,
  GetPullChannelConfigureOutput,
} from "./pull_channels/get_pull_channel_configure.ts";
import type {
  GetPullChannelListInput,
  GetPullChannelListOutput,
} from "./pull_channels/get_pull_channel_list.ts";
import type {
  BatchChannelLiveStateInput,
  BatchChannelLiveStateOutput,
} from "./live_state/batch_channel_live_state.ts";
import type {
  ChannelForbiddenInput,
  ChannelForbiddenOutput,
} from "./live_state/channel_forbidden.ts";
import type {
  ChannelReBrodcastInput,
  ChannelReBrodcastOutput,
} from "./live_state/channel_re_brodcast.ts";
import type {
  DisconnectStreamInput,
  DisconnectStreamOutput,
} from "./live_state/disconnect_stream.ts";
import type {
  GetChannelLiveStateInput,
  GetChannelLiveStateOutput,
} from "./live_state/get_channel_live_state.ts";
import type {
  SetChannelStateRealtimeBackInput,
  SetChannelStateRealtimeBackOutput,
} from "./live_state/set_channel_state_realtime_back.ts";
import type {
  CreateRecordTaskInput,
  CreateRecordTaskOutput,
} from "./recording/create_record_task.ts";
import type { EndRecordTaskInput, EndRecordTaskOutput } from "./recording/end_record_task.ts";
import type {
  GetRecordFileInfoInput,
  GetRecordFileInfoOutput,
} from "./recording/get_record_file_info.ts";
import type { RecordTaskQueryInput, RecordTaskQueryOutput } from "./recording/record_task_query.ts";
import type {
  DirectoryCreateInput,
  DirectoryCreateOutput,
} from "./directories/directory_create.ts";
import type { GetDirectoryInput, GetDirectoryOutput } from "./directories/get_directory.ts";
import type {
  GetDirectoryListInput,
  GetDirectoryListOutput,
} from "./directories/get_directory_list.ts";
import type { EndForwardTaskInput, EndForwardTaskOutput } from "./forwarding/end_forward_task.ts";
import type {
  GetForwardTaskListInput,
  GetForwardTaskListOutput,
} from "./forwarding/get_forward_task_list.ts";
import type {
  StartForwardTaskInput,
  StartForwardTaskOutput,
} from "./forwarding/start_forward_task.ts";

/** The name of every action. */
export type ActionName = keyof ActionInputs;

/** Every action's input, by action name. */
export interface ActionInputs {
  channelEdit: ChannelEditInput;
  createChannel: CreateChannelInput;
  deleteChannel: DeleteChannelInput;
  getChannelConf: GetChannelConfInput;
  getChannelList: GetChannelListInput;
  getChannelShareUrl: GetChannelShareUrlInput;
  getSinglePullCode: GetSinglePullCodeInput;
  setPullTsatc: SetPullTsatcInput;
  setPushTsatc: SetPushTsatcInput;
  createPullChannel: CreatePullChannelInput;
  editPullChannel: EditPullChannelInput;
  getPullChannelConfigure: GetPullChannelConfigureInput;
  getPullChannelList: GetPullChannelListInput;
  batchChannelLiveState: BatchChannelLiveStateInput;
  channelForbidden: ChannelForbiddenInput;
  channelReBrodcast: ChannelReBrodcastInput;
  disconnectStream: DisconnectStreamInput;
  getChannelLiveState: GetChannelLiveStateInput;
  setChannelStateRealtimeBack: SetChannelStateRealtimeBackInput;
  createRecordTask: CreateRecordTaskInput;
  endRecordTask: EndRecordTaskInput;
  getRecordFileInfo: GetRecordFileInfoInput;
  recordTaskQuery: RecordTaskQueryInput;
  directoryCreate: DirectoryCreateInput;
  getDirectory: GetDirectoryInput;
  getDirectoryList: GetDirectoryListInput;
  endForwardTask: EndForwardTaskInput;
  getForwardTaskList: GetForwardTaskListInput;
  startForwardTask: StartForwardTaskInput;
}

/** Every action's output (the response's `data`), by action name. */
export interface ActionOutputs {
  channelEdit: ChannelEditOutput;
  createChannel: CreateChannelOutput;
  deleteChannel: DeleteChannelOutput;
  getChannelConf: GetChannelConfOutput;
  getChannelList: GetChannelListOutput;
  getChannelShareUrl: GetChannelShareUrlOutput;
  getSinglePullCode: GetSinglePullCodeOutput;
  setPullTsatc: SetPullTsatcOutput;
  setPushTsatc: SetPushTsatcOutput;
  createPullChannel: CreatePullChannelOutput;
  editPullChannel: EditPullChannelOutput;
  getPullChannelConfigure: GetPullChannelConfigureOutput;
  getPullChannelList: GetPullChannelListOutput;
  batchChannelLiveState: BatchChannelLiveStateOutput;
  channelForbidden: ChannelForbiddenOutput;
  channelReBrodcast: ChannelReBrodcastOutput;
  disconnectStream: DisconnectStreamOutput;
  getChannelLiveState: GetChannelLiveStateOutput;
  setChannelStateRealtimeBack: SetChannelStateRealtimeBackOutput;
  createRecordTask: CreateRecordTaskOutput;
  endRecordTask: EndRecordTaskOutput;
  getRecordFileInfo: GetRecordFileInfoOutput;
  recordTaskQuery: RecordTaskQueryOutput;
  directoryCreate: DirectoryCreateOutput;
  getDirectory: GetDirectoryOutput;
  getDirectoryList: GetDirectoryListOutput;
  endForwardTask: EndForwardTaskOutput;
  getForwardTaskList: GetForwardTaskListOutput;
  startForwardTask: StartForwardTaskOutput;
}
