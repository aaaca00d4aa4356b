/** Relay (forward) task actions. */

import {
  channelOf,
  forwardStatus,
  type Handlers,
  page,
  type SimContext,
  SimError,
  type SimForwardTask,
} from "../store.ts";

const FIVE_MINUTES = 300_000;

/** Status 0 pending, 1 relaying, 2 ended, 3 failed (its channel is gone). */
const statusOf = (context: SimContext, task: SimForwardTask) => {
  const status = forwardStatus(task, context.now);
  return status == 1 && !context.store.channels.has(task.pullId) ? 3 : status;
};

/** The handlers of the forwarding actions. */
export const forwardingHandlers = {
  startForwardTask(context, input) {
    channelOf(context, input.pullId);
    const start = Math.max(context.now, (input.startTime ?? 0) * 1000);
    const end = input.endTime === undefined ? undefined : input.endTime * 1000;
    if (end !== undefined && (end - start <= FIVE_MINUTES || end - context.now <= FIVE_MINUTES)) {
      throw new SimError(
        "InvalidParameter",
        "endTime must be more than 5 minutes after the start and after now",
      );
    }
    const task: SimForwardTask = {
      taskId: context.random.hex(24),
      pullId: input.pullId,
      forwardUrl: input.forwardUrl,
      start,
      end,
      codingParams: input.codingParams ? JSON.parse(input.codingParams) : {},
      notifyUrl: input.notifyUrl ?? "",
      createdAt: context.now,
    };
    context.store.forwardTasks.set(task.taskId, task);
    return { taskId: task.taskId };
  },

  endForwardTask(context, input) {
    const task = context.store.forwardTasks.get(input.taskId);
    if (!task) throw new SimError("ForwardTaskNotFound", `No relay task ${input.taskId}`);
    if (forwardStatus(task, context.now) == 2) {
      throw new SimError("ForwardTaskEnded", `Relay task ${input.taskId} has already ended`);
    }
    task.endedAt = context.now;
    return "";
  },

  getForwardTaskList(context, input) {
    const statuses = input.status?.split("-").map(Number);
    const tasks = [...context.store.forwardTasks.values()].filter((task) =>
      (!input.pullId || task.pullId == input.pullId) &&
      (!input.taskId || task.taskId == input.taskId) &&
      (!statuses || statuses.includes(statusOf(context, task)))
    );
    const forwardTastList = page(tasks, input).map((task) => {
      const coding = task.codingParams;
      return {
        taskId: task.taskId,
        pullId: task.pullId,
        status: statusOf(context, task),
        forwardUrl: task.forwardUrl,
        startTime: Math.floor(task.start / 1000),
        endTime: task.end === undefined ? 0 : Math.floor(task.end / 1000),
        notifyUrl: task.notifyUrl,
        createUser: "simulator",
        crreateTime: Math.floor(task.createdAt / 1000),
        codingParams: {
          bitrate: Number(coding.bitrate ?? 0),
          resolution: String(coding.resolution ?? ""),
          frameRate: Number(coding.frameRate ?? 0),
          vcodec: String(coding.vcodec ?? ""),
          acodec: String(coding.acodec ?? ""),
          wmimage: String(coding.wmimage ?? ""),
          wmposition: String(coding.wmposition ?? ""),
        },
      };
    });
    return { total: forwardTastList.length, forwardTastList };
  },
} satisfies Partial<Handlers>;
