/** Record-directory actions. */

import { chinaTime, type Handlers, page, type SimDirectory, SimError } from "../store.ts";

const view = (directory: SimDirectory) => ({
  createTime: chinaTime(directory.createdAt),
  directoryId: directory.directoryId,
  directoryType: directory.directoryType,
  firstLevelDirectory: directory.firstLevelDirectory,
  secondLevelDirectory: directory.secondLevelDirectory,
  thirdLevelDirectory: directory.thirdLevelDirectory,
  updateTime: chinaTime(directory.updatedAt),
});

/** The handlers of the directories actions. */
export const directoryHandlers = {
  directoryCreate(context, input) {
    const taken = [...context.store.directories.values()]
      .some((directory) => directory.directoryType == input.directoryType);
    if (taken) {
      throw new SimError(
        "DirectoryTypeExists",
        `A record directory of type ${input.directoryType} already exists`,
      );
    }
    const directory: SimDirectory = {
      directoryId: context.random.hex(16),
      directoryType: input.directoryType,
      firstLevelDirectory: input.firstLevelDirectory,
      secondLevelDirectory: input.secondLevelDirectory ?? "",
      thirdLevelDirectory: input.thirdLevelDirectory ?? "",
      createdAt: context.now,
      updatedAt: context.now,
    };
    context.store.directories.set(directory.directoryId, directory);
    return view(directory);
  },

  getDirectoryList(context, input) {
    const all = [...context.store.directories.values()];
    return [{ totalCount: all.length, directoryList: page(all, input).map(view) }];
  },

  getDirectory(context, input) {
    const directory = context.store.directories.get(input.directoryId);
    if (!directory) {
      throw new SimError("DirectoryNotFound", `No record directory with id ${input.directoryId}`);
    }
    return view(directory);
  },
} satisfies Partial<Handlers>;
