/** Recording actions. Task status follows the simulated clock; files appear once a task is over. */

import {
  channelOf,
  chinaTime,
  type Handlers,
  recordStatus,
  type SimContext,
  SimError,
  type SimRecordTask,
  toMinute,
} from "../store.ts";

const HOURS_72 = 72 * 3600_000;

/** A recorded file: one per push that overlapped the task's window. */
interface RecordedFile {
  videoId: string;
  pullId: string;
  fileName: string;
  from: number;
  to: number;
  url: string;
}

const stamp = (ms: number) => chinaTime(ms).replace(/\D/g, "");

/** The files a finished task produced: the parts of its window during which the channel was live. */
export const filesOf = (context: SimContext, task: SimRecordTask): RecordedFile[] => {
  if (recordStatus(task, context.now) < 2) return [];
  const channel = context.store.channels.get(task.pullId);
  const windowEnd = Math.min(task.endedAt ?? task.end, task.end);
  return (channel?.spans ?? []).flatMap((span, index) => {
    const from = Math.max(span.from, task.start);
    const to = Math.min(span.to ?? windowEnd, windowEnd);
    if (to <= from) return [];
    const fileName = `${task.pullId}-${stamp(from)}.${task.fileType}`;
    return [{
      videoId: `${task.taskId}-${index + 1}`,
      pullId: task.pullId,
      fileName,
      from,
      to,
      url: `https://vod.sim.example/${task.directoryPath}${fileName}`,
    }];
  });
};

const BYTES_PER_SECOND = 250_000;

/** The handlers of the recording actions. */
export const recordingHandlers = {
  createRecordTask(context, input) {
    const channel = channelOf(context, input.pullId);
    const tasks = [...context.store.recordTasks.values()];
    if (input.transNo) {
      const same = tasks.find((task) => task.transNo == input.transNo);
      if (same) return { taskId: same.taskId };
    }
    const busy = tasks.find((task) =>
      task.pullId == input.pullId && recordStatus(task, context.now) < 2
    );
    if (busy) {
      throw new SimError(
        "RecordTaskExists",
        `Channel ${input.pullId} already has recording task ${busy.taskId} pending or running`,
      );
    }
    const now = toMinute(context.now);
    const start = input.quickStart ? now : toMinute(input.startTime! * 1000);
    const end = toMinute(input.endTime * 1000);
    if (!input.quickStart && start <= now) {
      throw new SimError("InvalidParameter", "startTime must be a later minute than now");
    }
    if (end <= now || end <= start) {
      throw new SimError(
        "InvalidParameter",
        "endTime must be a later minute than now and than startTime",
      );
    }
    if (end - start > HOURS_72) {
      throw new SimError("InvalidParameter", "a recording may last at most 72 hours");
    }
    const directory = context.store.directories.get(channel.directoryId);
    const task: SimRecordTask = {
      taskId: context.random.hex(24),
      transNo: input.transNo ?? "",
      pullId: input.pullId,
      start,
      end,
      fileType: input.fileType ?? "mp4",
      notifyUrl: input.notifyUrl ?? "",
      directoryPath: directory
        ? [
          directory.firstLevelDirectory,
          directory.secondLevelDirectory,
          directory.thirdLevelDirectory,
        ]
          .filter(Boolean).map((level) => `${level}/`).join("")
        : "",
    };
    context.store.recordTasks.set(task.taskId, task);
    return { taskId: task.taskId };
  },

  endRecordTask(context, input) {
    const task = context.store.recordTasks.get(input.taskId);
    if (!task) throw new SimError("RecordTaskNotFound", `No recording task ${input.taskId}`);
    if (recordStatus(task, context.now) >= 2) {
      throw new SimError("RecordTaskEnded", `Recording task ${input.taskId} has already ended`);
    }
    task.endedAt = context.now;
    return {};
  },

  recordTaskQuery(context, input) {
    const task = input.taskId
      ? context.store.recordTasks.get(input.taskId)
      : [...context.store.recordTasks.values()].find((t) => t.transNo == input.transNo);
    if (!task) {
      throw new SimError(
        "RecordTaskNotFound",
        `No recording task ${input.taskId ?? input.transNo}`,
      );
    }
    return {
      status: recordStatus(task, context.now),
      transNo: task.transNo,
      taskId: task.taskId,
      fileList: filesOf(context, task).map((file) => ({
        fileName: file.fileName,
        videoId: file.videoId,
        fileSize: String(Math.round((file.to - file.from) / 1000) * BYTES_PER_SECOND),
        videoDuration: String(Math.round((file.to - file.from) / 1000)),
        startTime: chinaTime(file.from),
        endTime: chinaTime(file.to),
        fileUrl: file.url,
      })),
    };
  },

  getRecordFileInfo(context, input) {
    const pullIds = input.pullIds?.split(",");
    const videoIds = input.videoIds?.split(",");
    return [...context.store.recordTasks.values()]
      .flatMap((task) => filesOf(context, task))
      .filter((file) =>
        (!pullIds || pullIds.includes(file.pullId)) &&
        (!videoIds || videoIds.includes(file.videoId))
      )
      .map((file) => ({
        password: "",
        pullId: file.pullId,
        sharePageUrl: `https://share.sim.example/vod/${file.videoId}`,
        startTime: Math.floor(file.from / 1000),
        videoDuration: Math.round((file.to - file.from) / 1000),
        videoId: file.videoId,
        videoName: file.fileName,
      }));
  },
} satisfies Partial<Handlers>;
