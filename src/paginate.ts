/**
 * Async iterators over the four paged list actions. They ask for the largest page (50) unless
 * told otherwise and stop at the first short page, because the service reports only the size of
 * the current page, never a total.
 *
 * Through the gateway, an `own` key's page that the gateway could not fill within its bound on
 * upstream pages comes back marked `x-gateway-partial-page: 1`; the iterators ask for the same
 * page again (the gateway continues its scan) until it comes back unmarked, at most
 * 100 times (then throw a `WangsuError`), and yield its items once, from the complete answer.
 *
 * @module
 */

import type { WangsuClient } from "./client.ts";
import type { CallOptions } from "./transport.ts";
import { WangsuError } from "./errors.ts";
import {
  type ChannelSummary,
  getChannelList,
  type GetChannelListInput,
} from "./actions/channels/get_channel_list.ts";
import {
  getPullChannelList,
  type GetPullChannelListInput,
  type PullChannelSummary,
} from "./actions/pull_channels/get_pull_channel_list.ts";
import {
  getDirectoryList,
  type GetDirectoryListInput,
} from "./actions/directories/get_directory_list.ts";
import type { RecordDirectory } from "./actions/directories/record_directory.ts";
import {
  type ForwardTask,
  getForwardTaskList,
  type GetForwardTaskListInput,
} from "./actions/forwarding/get_forward_task_list.ts";

interface Paged {
  pageIndex?: number;
  pageSize?: number;
}

/** The gateway's header on an `own` key's page it cut short (asked again, it continues). */
const PARTIAL_PAGE_HEADER = "x-gateway-partial-page";

/** Most times an iterator asks again for one page the gateway marks partial. */
const MAX_PARTIAL_REPEATS = 100;

async function* walk<Input extends Paged, Page, Item>(
  client: WangsuClient,
  input: Input,
  options: CallOptions | undefined,
  fetchPage: (client: WangsuClient, input: Input, options?: CallOptions) => Promise<Page>,
  itemsOf: (page: Page) => Item[],
): AsyncGenerator<Item, void, undefined> {
  const pageSize = input.pageSize ?? 50;
  for (let pageIndex = input.pageIndex ?? 1;; pageIndex++) {
    let items: Item[];
    // A partial answer holds what the gateway found so far, and the next one all of it again:
    // only the complete answer's items are yielded.
    for (let repeats = 0;; repeats++) {
      let partial = false;
      const page = await fetchPage(client, { ...input, pageIndex, pageSize }, {
        ...options,
        onResponseHeaders: (headers) => {
          partial = headers.get(PARTIAL_PAGE_HEADER) == "1";
          options?.onResponseHeaders?.(headers);
        },
      });
      items = itemsOf(page);
      if (!partial) break;
      if (repeats == MAX_PARTIAL_REPEATS) {
        throw new WangsuError(
          `${fetchPage.name}: page ${pageIndex} still partial (${PARTIAL_PAGE_HEADER}) after ${
            repeats + 1
          } requests; the gateway's scan is not progressing`,
          { action: fetchPage.name },
        );
      }
    }
    yield* items;
    if (items.length < pageSize) return;
  }
}

/**
 * Iterates over every push-mode channel, page after page.
 *
 * @example
 * ```ts
 * for await (const channel of paginateChannelList(client)) console.log(channel.pullId);
 * ```
 *
 * @param client The client to call with.
 * @param input Filters and the page to start from (`pageSize` defaults to 50 here).
 * @param options Per-call options, used for every page.
 * @returns The channels, one at a time.
 */
export function paginateChannelList(
  client: WangsuClient,
  input: GetChannelListInput = {},
  options?: CallOptions,
): AsyncGenerator<ChannelSummary, void, undefined> {
  return walk(client, input, options, getChannelList, (page) => page.channelList);
}

/**
 * Iterates over every pull-mode channel, page after page.
 *
 * @param client The client to call with.
 * @param input Order and the page to start from (`pageSize` defaults to 50 here).
 * @param options Per-call options, used for every page.
 * @returns The channels, one at a time.
 */
export function paginatePullChannelList(
  client: WangsuClient,
  input: GetPullChannelListInput = {},
  options?: CallOptions,
): AsyncGenerator<PullChannelSummary, void, undefined> {
  return walk(client, input, options, getPullChannelList, (page) => page.channelList);
}

/**
 * Iterates over every record directory, page after page.
 *
 * @param client The client to call with.
 * @param input The page to start from (`pageSize` defaults to 50 here).
 * @param options Per-call options, used for every page.
 * @returns The directories, one at a time.
 */
export function paginateDirectoryList(
  client: WangsuClient,
  input: GetDirectoryListInput = {},
  options?: CallOptions,
): AsyncGenerator<RecordDirectory, void, undefined> {
  return walk(
    client,
    input,
    options,
    getDirectoryList,
    (pages) => pages.flatMap((page) => page.directoryList),
  );
}

/**
 * Iterates over every relay task that matches the filters, page after page.
 *
 * @param client The client to call with.
 * @param input Filters and the page to start from (`pageSize` defaults to 50 here).
 * @param options Per-call options, used for every page.
 * @returns The tasks, one at a time.
 */
export function paginateForwardTaskList(
  client: WangsuClient,
  input: GetForwardTaskListInput = {},
  options?: CallOptions,
): AsyncGenerator<ForwardTask, void, undefined> {
  return walk(client, input, options, getForwardTaskList, (page) => page.forwardTastList);
}
