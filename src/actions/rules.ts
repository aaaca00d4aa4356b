/**
 * The input rules the action spec (`src/actions/spec.json`) names: what data cannot say. Each
 * carries its own message, so a validation error reads as `field: rule` without looking anything
 * up. A field's rule is a function of the rule's arguments (often none) returning a valibot schema;
 * a check between an input's fields, one returning a pipe action. `deno task generate` writes the
 * calls; functions, unlike schemas built at load, cost nothing in a bundle that does not call them.
 *
 * @module
 */

import * as v from "valibot";

/**
 * An optional field: what `rule` accepts, or nothing.
 *
 * @param rule A rule of no arguments (called here), or a rule's schema.
 */
export const optional = <Schema extends v.GenericSchema>(rule: Schema | (() => Schema)) =>
  v.optional(typeof rule == "function" ? rule() : rule);

/** A required id: a non-empty string. */
export const id = () => v.pipe(v.string(), v.minLength(1, "must not be empty"));

/** One or more ids separated by commas, with no spaces or empty entries. */
export const idList = () =>
  v.pipe(
    v.string(),
    v.regex(/^[^,\s]+(?:,[^,\s]+)*$/, "must be one or more ids separated by commas"),
  );

/** Channel ids separated by commas, or empty (meaning every channel). */
export const idListOrEmpty = () =>
  v.pipe(
    v.string(),
    v.regex(/^(?:[^,\s]+(?:,[^,\s]+)*)?$/, "must be pullIds separated by commas, or empty for all"),
  );

/**
 * A whole number, at least 1.
 *
 * @param whole What the number must be, for the message when it is not whole.
 */
const positive = (whole: string) =>
  v.pipe(v.number(), v.safeInteger(whole), v.minValue(1, "must be at least 1"));

/** A 1-based page number. */
export const pageIndex = () => positive("must be a whole number (at most 2^53)");

/** A page size from 1 to 50. */
export const pageSize = () =>
  v.pipe(
    v.number(),
    v.safeInteger("must be a whole number"),
    v.minValue(1, "must be at least 1"),
    v.maxValue(50, "must be at most 50"),
  );

/** List order: 0 newest first, 1 oldest first. */
export const listOrder = () =>
  v.picklist(
    [0, 1] as const,
    "must be 0 (newest first) or 1 (oldest first)",
  );

/** Non-empty text of at most `max` characters. */
export const text = (max: number) =>
  v.pipe(
    v.string(),
    v.minLength(1, "must not be empty"),
    v.maxLength(max, `must be at most ${max} characters`),
  );

/**
 * A comma-separated choice among single-character codes, e.g. `"0,2"` out of `0`..`4`.
 *
 * @param codes The allowed codes, e.g. `"01234"`.
 * @param meaning What the codes mean, for the message.
 */
export const codeList = (codes: string, meaning: string) =>
  v.pipe(
    v.string(),
    v.regex(
      new RegExp(`^[${codes}](?:,[${codes}])*$`),
      `must be one or more of ${[...codes].join(", ")} separated by commas (${meaning})`,
    ),
  );

/**
 * One of a few values.
 *
 * @param options The values allowed.
 * @param message What they mean, for the message.
 */
export const oneOf = <const Options extends readonly (string | number)[]>(
  options: Options,
  message: string,
) => v.picklist(options, message);

/**
 * A string that `pattern` matches.
 *
 * @param pattern A regular expression's source.
 * @param message What the string must be, for the message.
 */
export const matches = (pattern: string, message: string) =>
  v.pipe(v.string(), v.regex(new RegExp(pattern), message));

/**
 * What `schema` accepts, or the empty string.
 *
 * @param schema The rule for a value that is not empty.
 * @param message What the value must be, for the message.
 */
export const orEmpty = (schema: v.GenericSchema<string>, message: string) =>
  v.union([v.literal(""), schema], message);

/** Pull protocols: 0 RTMP, 1 HTTP-FLV, 2 HLS, 3 HDS; 2 and 3 exclude each other. */
export const pullProtocols = () =>
  v.pipe(
    codeList("0123", "0 RTMP, 1 HTTP-FLV, 2 HLS, 3 HDS"),
    v.check((list) => !(list.includes("2") && list.includes("3")), "must not hold both 2 and 3"),
  );

/** Play bit rates: 0 source, 1 smooth, 2 SD, 3 HD, 4 ultra HD. */
export const pullRates = () => codeList("01234", "0 source, 1 smooth, 2 SD, 3 HD, 4 ultra HD");

/** A `"0"`/`"1"` switch sent as a string. */
export const stringFlag = () => v.picklist(["0", "1"] as const, 'must be "0" or "1"');

/** A `0`/`1` switch sent as a number. */
export const numberFlag = () => v.picklist([0, 1] as const, "must be 0 or 1");

/** Unix time in whole seconds. */
export const unixSeconds = () =>
  v.pipe(
    v.number(),
    v.safeInteger("must be Unix time in whole seconds"),
    v.minValue(0, "must not be negative"),
  );

/** A string a URL parser reads (the service calls or stores it as a URL). */
export const parsableUrl = () => v.check<string, string>(URL.canParse, "must be a URL");

/**
 * A URL a URL parser reads and `pattern` matches.
 *
 * @param pattern What the URL must match (its scheme, as a regular expression's source).
 * @param message What it must be, for the message.
 * @param flags The regular expression's flags, e.g. `"i"`.
 */
export const url = (pattern: string, message: string, flags?: string) =>
  v.pipe(v.string(), v.regex(new RegExp(pattern, flags), message), parsableUrl());

/** An http(s) URL (scheme in lower case, as the service requires). */
export const httpUrl = () =>
  url(
    "^https?://\\S+$",
    'must be a URL starting with "http://" or "https://"',
  );

/** A domain name such as `push.example.com`. */
export const domain = () =>
  v.pipe(
    v.string(),
    v.regex(
      /^(?=.{1,253}$)[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]{0,61}[a-z\d])?)+$/i,
      "must be a domain name such as live.example.com",
    ),
  );

/** Video stream encryption: 0 none, 1 HLS standard encryption, 2 DRM. */
export const videoEncrypted = () =>
  v.picklist(
    [0, 1, 2] as const,
    "must be 0 (none), 1 (HLS encryption) or 2 (DRM)",
  );

/** A duration in whole seconds, above zero. */
export const positiveSeconds = () => positive("must be a whole number of seconds (at most 2^53)");

/** A positive whole number of seconds written as a decimal string, e.g. `"3600"`. */
export const secondsString = () =>
  v.pipe(
    v.string(),
    v.regex(/^[1-9]\d*$/, 'must be a whole number of seconds as a string, e.g. "3600"'),
  );

const decodeBase64UrlJson = (value: string): unknown => {
  // URL-safe base64 only: atob would also take "+", "/" and skip white space.
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(value)) return undefined;
  try {
    const bytes = Uint8Array.from(
      atob(value.replace(/-/g, "+").replace(/_/g, "/")),
      (c) => c.charCodeAt(0),
    );
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
};

/**
 * A URL-safe base64 encoding of a JSON object, checked by `accepts` once decoded.
 *
 * @param accepts Checks the decoded object.
 * @param expected What the object must hold, for the message.
 */
export const base64Json = (
  accepts: (decoded: Record<string, unknown>) => boolean,
  expected: string,
) =>
  v.pipe(
    v.string(),
    v.check((value) => {
      const decoded = decodeBase64UrlJson(value);
      return typeof decoded == "object" && decoded != null &&
        accepts(decoded as Record<string, unknown>);
    }, `must be URL-safe base64 of a JSON object ${expected}`),
  );

/** Whiteboard settings: base64 of `{"open":0|1,"whiteBoardId":"..."}` (the id needed when open is 1). */
export const whiteBoardConfig = () =>
  base64Json(
    (c) =>
      (c.open === 0 || c.open === 1) &&
      (c.open === 0 || (typeof c.whiteBoardId == "string" && c.whiteBoardId.length > 0)),
    '{"open": 0 | 1, "whiteBoardId": "..."}',
  );

/** Page functions: base64 of `{"share":0|1}`, or empty (the service's default). */
export const funcConfig = () =>
  v.union([
    v.literal(""),
    base64Json((c) => c.share === 0 || c.share === 1, '{"share": 0 | 1}'),
  ], 'must be empty or URL-safe base64 of a JSON object {"share": 0 | 1}');

/** Relay transcoding settings: a JSON object written as a string. */
export const codingParams = () =>
  v.pipe(
    v.string(),
    v.check((value) => {
      try {
        const parsed = JSON.parse(value);
        return typeof parsed == "object" && parsed != null && !Array.isArray(parsed);
      } catch {
        return false;
      }
    }, "must be a JSON object as a string, e.g. '{\"bitrate\":1200}'"),
  );

/** Player size `W*H`, from 480*360 to 1920*1080. */
export const playerSize = () =>
  v.pipe(
    v.string(),
    v.check((value) => {
      const match = /^(\d{3,4})\*(\d{3,4})$/.exec(value);
      return !!match && +match[1] >= 480 && +match[1] <= 1920 && +match[2] >= 360 &&
        +match[2] <= 1080;
    }, "must be W*H between 480*360 and 1920*1080, e.g. 1280*720"),
  );

const RESERVED_DIRECTORIES = [
  "video",
  "live",
  "pullvideo",
  "clip",
  "concat",
  "watermarker",
  "logo",
  "buffer",
  "record",
  "static",
  "ad",
];

/** A record-directory level: lowercase letters, digits and `-`, up to 128, not `cloudv...`. */
export const directoryLevel = () =>
  v.pipe(
    v.string(),
    v.regex(/^[a-z\d-]{1,128}$/, "must be 1 to 128 lowercase letters, digits or hyphens"),
    v.check((value) => !value.startsWith("cloudv"), 'must not start with "cloudv"'),
  );

/** The first record-directory level: a {@link directoryLevel} that is not a reserved word. */
export const firstLevelDirectory = () =>
  v.pipe(
    directoryLevel(),
    v.check(
      (value) => !RESERVED_DIRECTORIES.includes(value),
      `must not be a reserved word (${RESERVED_DIRECTORIES.join(", ")})`,
    ),
  );

/** A rule between an input's fields, reported on one of them (see {@link between}). */
export type Check<Input> = v.GenericPipeAction<Input, Input>;

/**
 * A rule between fields of an input: `requirement` is checked once the fields it reads are valid
 * (whatever else is wrong), and its message goes to the field `on`.
 */
const between = <Input>(
  fields: readonly string[],
  requirement: (input: Record<string, unknown>) => boolean,
  message: string,
  on: string,
): Check<Input> =>
  v.forward(
    v.partialCheck(fields.map((field) => [field]) as [[string]], requirement, message),
    [on] as never,
  ) as unknown as Check<Input>;

/** Start and end of a window, in Unix seconds. */
interface TimeWindow {
  startTime?: number;
  endTime?: number;
}

/**
 * `endTime` more than `seconds` after `startTime` (when both are given).
 *
 * @param seconds The least gap.
 * @param message What the gap must be, for the message.
 */
export const endAfterStart = <Input extends TimeWindow>(
  seconds: number,
  message: string,
): Check<Input> =>
  between(
    ["startTime", "endTime"],
    ({ startTime, endTime }) =>
      startTime === undefined || endTime === undefined ||
      Number(endTime) - Number(startTime) > seconds,
    message,
    "endTime",
  );

const minute = (seconds: unknown) => Math.floor(Number(seconds) / 60);

/** `startTime` given when `quickStart` is false, and left out when it is true. */
export const startTimeUnlessQuickStart = <
  Input extends TimeWindow & { quickStart: boolean },
>(): Check<Input> =>
  between(
    ["quickStart", "startTime"],
    ({ quickStart, startTime }) => quickStart ? startTime === undefined : startTime !== undefined,
    "must be given when quickStart is false, and left out when it is true",
    "startTime",
  );

/** `endTime` in a later minute than `startTime` (both are cut to the minute). */
export const endAfterStartMinute = <Input extends TimeWindow>(): Check<Input> =>
  between(
    ["startTime", "endTime"],
    ({ startTime, endTime }) => startTime === undefined || minute(endTime) > minute(startTime),
    "must be at least one minute after startTime (both are cut to the minute)",
    "endTime",
  );

/** `endTime` at most 72 hours after `startTime`, to the minute. */
export const atMost72Hours = <Input extends TimeWindow>(): Check<Input> =>
  between(
    ["startTime", "endTime"],
    ({ startTime, endTime }) =>
      startTime === undefined || minute(endTime) - minute(startTime) <= 72 * 60,
    "must be at most 72 hours after startTime",
    "endTime",
  );

/** `fileType` `"m3u8"` when `isConcat` is true. */
export const concatNeedsM3u8 = <
  Input extends { isConcat?: boolean; fileType?: string },
>(): Check<Input> =>
  between(
    ["isConcat", "fileType"],
    ({ isConcat, fileType }) => !isConcat || fileType == "m3u8",
    'must be "m3u8" when isConcat is true',
    "fileType",
  );

/** `taskId` or `transNo` given (not empty), checked once the whole input is valid. */
export const taskIdOrTransNo = <
  Input extends { taskId?: string; transNo?: string },
>(): Check<Input> =>
  v.forward(
    v.check<Input, string>(
      (input) => !!(input.taskId || input.transNo),
      "is required unless transNo is given",
    ),
    ["taskId"] as never,
  ) as unknown as Check<Input>;
