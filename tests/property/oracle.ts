/**
 * An oracle of valid action input, written apart from the SDK's valibot schemas (which it must
 * never import, nor the action spec they are generated from): the field list, each field's type
 * and whether it is required come from the vendor's own spec
 * (`shared/wangsu-api/channels.spec.json`, next to the project); ranges, enumerations and the
 * rules between fields are written out here, by hand, from that spec's `note` text, each with the
 * words it comes from.
 *
 * A few rules are not in the spec at all but are the SDK's documented contract (an id is never
 * empty, a list of ids holds no spaces, a URL holds no whitespace, a request carries no field the
 * spec does not list); those are marked "(SDK contract)".
 *
 * @module
 */

import vendor from "../../../shared/wangsu-api/channels.spec.json" with { type: "json" };

/** One rule an input breaks: the field (`""` for the input as a whole) and a rule name. */
export interface Breach {
  /** The field, or `""` for the whole input. */
  readonly field: string;
  /** A short rule name, e.g. `type`, `required`, `range`. */
  readonly rule: string;
}

/** What a field holds, beyond its type: one rule each, from the spec's notes. */
export type Kind =
  | "id"
  | "anyText"
  | "name255"
  | "channelType"
  | "domain"
  | "pullProtocols"
  | "pullRates"
  | "idList"
  | "idListOrEmpty"
  | "stringFlag"
  | "numberFlag"
  | "videoEncrypted"
  | "positiveSeconds"
  | "pageIndex"
  | "pageSize"
  | "listOrder"
  | "playerSize"
  | "codeType"
  | "secondsString"
  | "sourcePullUrl"
  | "pushSourceProtocol"
  | "anySourceProtocol"
  | "notifyUrl"
  | "forwardUrl"
  | "unixSeconds"
  | "fileType"
  | "boolean"
  | "transNo"
  | "queryId"
  | "queryTransNo"
  | "directoryType"
  | "firstLevelDirectory"
  | "directoryLevel"
  | "codingParams"
  | "forwardStatus"
  | "whiteBoardConfig"
  | "funcConfig";

/** The spec's request fields of one action. */
export interface SpecField {
  /** Wire name. */
  readonly name: string;
  /** `string`, `integer` or `boolean`. */
  readonly type: string;
  /** Whether the spec marks it required. */
  readonly required: boolean;
}

/** The request fields of `action`, as the spec lists them. */
export const specFields = (action: string): readonly SpecField[] => {
  const entry = vendor.actions.find((a) => a.fn == action);
  if (!entry) throw new Error(`No action ${action} in the vendor's spec`);
  return entry.request;
};

/** Every action the spec lists. */
export const specActions: readonly string[] = vendor.actions.map((a) => a.fn);

const pushSettings: Record<string, Kind> = {
  directoryId: "id",
  check: "anyText",
  whiteBoardConfig: "whiteBoardConfig",
  funcConfig: "funcConfig",
  live2vod: "stringFlag",
  appScenario: "id",
  videoEncrypted: "videoEncrypted",
  hlsEncryptDuration: "positiveSeconds",
};

/** The kind of every request field of every action (a test checks it covers the spec exactly). */
export const kinds: Record<string, Record<string, Kind>> = {
  createChannel: {
    channelName: "name255",
    channelType: "channelType",
    pushDomain: "domain",
    pullProtocol: "pullProtocols",
    pullRate: "pullRates",
    playerId: "id",
    ...pushSettings,
  },
  channelEdit: {
    pullId: "id",
    channelName: "name255",
    resetPushId: "stringFlag",
    pullRate: "pullRates",
    ...pushSettings,
  },
  deleteChannel: { pullId: "idList" },
  getChannelConf: { pullId: "id" },
  getChannelList: {
    listOrder: "listOrder",
    pageIndex: "pageIndex",
    pageSize: "pageSize",
    appScenario: "id",
  },
  getSinglePullCode: {
    pullId: "id",
    playerId: "id",
    playerSize: "playerSize",
    autoPlay: "numberFlag",
    codeType: "codeType",
  },
  getChannelShareUrl: { pullId: "id" },
  setPushTsatc: { pullId: "id", effectiveHourLong: "secondsString" },
  setPullTsatc: { pullId: "id", effectiveHourLong: "secondsString" },
  createPullChannel: {
    channelName: "name255",
    sourcePullUrl: "sourcePullUrl",
    sourcePullProtocol: "pushSourceProtocol",
    pullDomain: "domain",
    pullProtocol: "pullProtocols",
    pullRate: "pullRates",
    playerId: "id",
  },
  editPullChannel: {
    pullId: "id",
    channelName: "name255",
    sourcePullUrl: "sourcePullUrl",
    sourcePullProtocol: "anySourceProtocol",
    pullRate: "pullRates",
  },
  getPullChannelConfigure: { pullId: "id" },
  getPullChannelList: { listOrder: "listOrder", pageIndex: "pageIndex", pageSize: "pageSize" },
  getChannelLiveState: { pullId: "id" },
  batchChannelLiveState: { pullIds: "idListOrEmpty" },
  channelForbidden: { pullId: "idList" },
  channelReBrodcast: { pullId: "idList" },
  disconnectStream: { pullId: "id" },
  setChannelStateRealtimeBack: { domainName: "domain", notifyUrl: "notifyUrl", open: "numberFlag" },
  createRecordTask: {
    pullId: "id",
    transNo: "transNo",
    quickStart: "boolean",
    startTime: "unixSeconds",
    endTime: "unixSeconds",
    notifyUrl: "notifyUrl",
    fileType: "fileType",
    isConcat: "boolean",
    httpPullRecord: "boolean",
    key: "id",
  },
  endRecordTask: { taskId: "id" },
  recordTaskQuery: { taskId: "queryId", transNo: "queryTransNo" },
  getRecordFileInfo: { pullIds: "idList", videoIds: "idList" },
  directoryCreate: {
    directoryType: "directoryType",
    firstLevelDirectory: "firstLevelDirectory",
    secondLevelDirectory: "directoryLevel",
    thirdLevelDirectory: "directoryLevel",
  },
  getDirectoryList: { pageIndex: "pageIndex", pageSize: "pageSize" },
  getDirectory: { directoryId: "id" },
  startForwardTask: {
    pullId: "id",
    forwardUrl: "forwardUrl",
    startTime: "unixSeconds",
    endTime: "unixSeconds",
    codingParams: "codingParams",
    notifyUrl: "notifyUrl",
  },
  endForwardTask: { taskId: "id" },
  getForwardTaskList: {
    pullId: "id",
    taskId: "id",
    status: "forwardStatus",
    pageIndex: "pageIndex",
    pageSize: "pageSize",
  },
};

/** Checks a value of the spec's type; the name of the broken rule, or undefined. */
const types: Record<string, (value: unknown) => string | undefined> = {
  string: (value) => typeof value == "string" ? undefined : "type",
  boolean: (value) => typeof value == "boolean" ? undefined : "type",
  // A JSON number past 2^53 cannot be carried exactly, so an "integer" must be a safe one
  // (SDK contract: the servers reading a body refuse it, see readActionBody).
  integer: (value) =>
    typeof value != "number" || !Number.isInteger(value)
      ? "type"
      : Number.isSafeInteger(value)
      ? undefined
      : "safe_integer",
};

const WHITESPACE = /\s/;

/** Comma-separated codes, each one of `codes` (an empty list is not a list). */
const codesFrom = (value: string, codes: readonly string[]) =>
  value.split(",").every((code) => codes.includes(code));

/**
 * Checks that `value` is `scheme://rest` with a known scheme and `rest` non-empty and free of
 * whitespace, and that it is a URL at all: one a WHATWG URL parser (what fetch, and so any
 * callback sender or relay written in JavaScript, uses) can read.
 */
const url = (value: string, schemes: readonly string[], caseSensitive: boolean) => {
  const at = value.indexOf("://");
  if (at < 0) return "url";
  const scheme = value.slice(0, at);
  const rest = value.slice(at + 3);
  const known = schemes.includes(caseSensitive ? scheme : scheme.toLowerCase());
  // (SDK contract) a URL holds no whitespace: RFC 3986 has none in any of its parts.
  if (!known || rest.length == 0 || WHITESPACE.test(rest)) return "url";
  return URL.canParse(value) ? undefined : "unparseable_url";
};

/** Decodes URL-safe base64 (RFC 4648 section 5, padding optional) holding a JSON object. */
const urlSafeBase64Json = (value: string): Record<string, unknown> | undefined => {
  const body = value.replace(/={1,2}$/, "");
  if (!/^[A-Za-z0-9_-]*$/.test(body) || body.length % 4 == 1) return undefined;
  if (body.length != value.length && value.length % 4 != 0) return undefined;
  const standard = body.replaceAll("-", "+").replaceAll("_", "/");
  try {
    const bytes = Uint8Array.from(atob(standard), (c) => c.charCodeAt(0));
    const decoded = JSON.parse(new TextDecoder().decode(bytes));
    const isObject = typeof decoded == "object" && decoded != null && !Array.isArray(decoded);
    return isObject ? decoded : undefined;
  } catch {
    return undefined;
  }
};

const isDomain = (value: string) => {
  // (SDK contract, from RFC 1035/1123) a domain name: at least two dot-separated labels of 1 to
  // 63 letters, digits or hyphens, no hyphen at either end of a label, 253 characters at most.
  const labels = value.split(".");
  return value.length <= 253 && labels.length >= 2 &&
    labels.every((label) =>
      label.length >= 1 && label.length <= 63 && /^[A-Za-z0-9-]+$/.test(label) &&
      !label.startsWith("-") && !label.endsWith("-")
    );
};

const RESERVED = [
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

const directoryLevel = (value: string) =>
  // "cannot start with cloudv or cloudv-, contains a maximum of 128 fields, supports only
  // lowercase letters, digits, and hyphens (-)"
  value.length >= 1 && value.length <= 128 && /^[a-z0-9-]+$/.test(value) &&
  !value.startsWith("cloudv");

const pass = (ok: boolean, rule: string) => ok ? undefined : rule;

/** The rule of each kind, run on a value that already has the spec's type. */
// deno-lint-ignore no-explicit-any
const rules: Record<Kind, (value: any) => string | undefined> = {
  // (SDK contract) an id names something that exists: never empty.
  id: (value: string) => pass(value.length > 0, "empty"),
  // "Stream check string": no rule given.
  anyText: () => undefined,
  // "Channel name, the value contains a maximum of 255 characters" (and a name is not empty).
  name255: (value: string) => pass(value.length >= 1 && value.length <= 255, "length"),
  // "It can only be a combination of English [letters], digits and underscores."
  channelType: (value: string) => pass(/^[A-Za-z0-9_]+$/.test(value), "pattern"),
  domain: (value: string) => pass(isDomain(value), "domain"),
  // "Multiple options can be selected. 2 and 3 cannot be selected at the same time ...
  // 0:RTMP, 1:HDL, 2:HLS, 3:HDS"
  pullProtocols: (value: string) =>
    !codesFrom(value, ["0", "1", "2", "3"])
      ? "enum"
      : pass(!(value.split(",").includes("2") && value.split(",").includes("3")), "2_with_3"),
  // "Multiple options can be selected ... 0:source rate, 1:smooth, 2:standard definition, 3:HD,
  // 4:super clear"
  pullRates: (value: string) => pass(codesFrom(value, ["0", "1", "2", "3", "4"]), "enum"),
  // "multiple ids separated by ','" ((SDK contract) with no spaces or empty entries).
  idList: (value: string) =>
    pass(value.split(",").every((id) => id.length > 0 && !WHITESPACE.test(id)), "id_list"),
  // batchChannelLiveState: "Multiple pull stream ids are separated by ','; Left blank Default
  // return all channel status".
  idListOrEmpty: (value: string) =>
    pass(
      value == "" || value.split(",").every((id) => id.length > 0 && !WHITESPACE.test(id)),
      "id_list",
    ),
  // live2vod "1 is enabled, 0 is not enabled"; resetPushId "1 reset and 0 does not reset".
  stringFlag: (value: string) => pass(value == "0" || value == "1", "enum"),
  // open "1: enable, 0: disable"; autoPlay "0 indicates non-autoplay, 1 indicates autoplay".
  numberFlag: (value: number) => pass(value == 0 || value == 1, "enum"),
  // "0: No encryption is required 1:HLS universal encryption 2:DRM encryption"
  videoEncrypted: (value: number) => pass([0, 1, 2].includes(value), "enum"),
  // "HLS Universal encryption validity time (unit: second)": a length of time, above zero.
  positiveSeconds: (value: number) => pass(value >= 1, "range"),
  // "The number of pages ..., starting from 1"
  pageIndex: (value: number) => pass(value >= 1, "range"),
  // "ranging from 1 to 50"
  pageSize: (value: number) => pass(value >= 1 && value <= 50, "range"),
  // "0. In descending order by creation time; 1. In ascending order by creation time"
  listOrder: (value: number) => pass(value == 0 || value == 1, "enum"),
  // "five fixed options (1280*720, 1024*768, 1024*576, 640*360, 480*360), and a self-defining
  // lattice ... greater than 480 times 360, which is less than 1920 times 1080": W*H, both
  // bounds taken as inclusive (480*360 is itself one of the options).
  playerSize: (value: string) => {
    const match = /^([1-9]\d*)\*([1-9]\d*)$/.exec(value);
    if (!match) return "pattern";
    const [width, height] = [Number(match[1]), Number(match[2])];
    return pass(width >= 480 && width <= 1920 && height >= 360 && height <= 1080, "range");
  },
  // "0:all, 2:swf code, 4:video url, 5:adaptive code"
  codeType: (value: string) => pass(["0", "2", "4", "5"].includes(value), "enum"),
  // "Validity period ... accurate to second": a whole, positive number of seconds, in decimal.
  secondsString: (value: string) => pass(/^[1-9][0-9]*$/.test(value), "pattern"),
  // "Source pull url" with "Source pull protocol: 0, RTMP, 1, Http flv" (HLS/HDS on edit): an
  // rtmp, http or https URL. The spec says nothing of case, and URL schemes are
  // case-insensitive (RFC 3986, 3.1).
  sourcePullUrl: (value: string) => url(value, ["rtmp", "http", "https"], false),
  // createPullChannel: "0, RTMP, 1, Http flv"
  pushSourceProtocol: (value: string) => pass(value == "0" || value == "1", "enum"),
  // editPullChannel: "0, RTMP, 1, Http flv, 2, HLS, 3, HDS"
  anySourceProtocol: (value: string) => pass(["0", "1", "2", "3"].includes(value), "enum"),
  // setChannelStateRealtimeBack: "The callback address must start with http:// or https:// in
  // lower case." (SDK contract: applied to every notifyUrl, the only kind of callback there is.)
  notifyUrl: (value: string) => url(value, ["http", "https"], true),
  // "Indicates the address to be forwarded. Only the rtmp format is supported."
  forwardUrl: (value: string) => url(value, ["rtmp"], false),
  // "a timestamp in seconds, for example, 1502438820"
  unixSeconds: (value: number) => pass(value >= 0, "range"),
  // "Recorded file format, default is mp4, optional flv, or m3u8, value is lowercase"
  fileType: (value: string) => pass(["mp4", "flv", "m3u8"].includes(value), "enum"),
  boolean: () => undefined,
  // "The service ID must be unique ... a string of up to 32 characters" (and an id, not empty).
  transNo: (value: string) => pass(value.length >= 1 && value.length <= 32, "length"),
  // recordTaskQuery: "transNo and taskId have at least one value that is not empty or an empty
  // string": either may be empty on its own (the rule between them is below).
  queryId: () => undefined,
  queryTransNo: (value: string) => pass(value.length <= 32, "length"),
  // "The value contains a maximum of 40 fields, including letters, digits, and underscores (_)."
  directoryType: (value: string) => pass(/^[A-Za-z0-9_]{1,40}$/.test(value), "pattern"),
  // ... "and cannot be the same as the reserved character. Reserved words have video, live,
  // pullvideo, clip, concat, watermarker, logo, buffer, record, static, AD"
  firstLevelDirectory: (value: string) =>
    !directoryLevel(value) ? "pattern" : pass(!RESERVED.includes(value.toLowerCase()), "reserved"),
  directoryLevel: (value: string) => pass(directoryLevel(value), "pattern"),
  // "jsonType": a JSON object written as a string.
  codingParams: (value: string) => {
    try {
      const parsed = JSON.parse(value);
      return pass(typeof parsed == "object" && parsed != null && !Array.isArray(parsed), "json");
    } catch {
      return "json";
    }
  },
  // "0: not started. 1: transfer process; 2: has ended; 3: abnormal; Multiple options are
  // supported, separated by hyphens"
  forwardStatus: (value: string) =>
    pass(value.split("-").every((code) => ["0", "1", "2", "3"].includes(code)), "enum"),
  // "urlsafe Base64-encoded JSON string ... {"open": 1,"whiteBoardId": "xxx"} ... open,
  // mandatory ... 0 is disabled and 1 is enabled. whiteBoardId is mandatory ... only when ...
  // open [is] 1"
  whiteBoardConfig: (value: string) => {
    const config = urlSafeBase64Json(value);
    if (!config) return "base64_json";
    if (config.open !== 0 && config.open !== 1) return "open";
    const id = config.whiteBoardId;
    return pass(config.open === 0 || (typeof id == "string" && id.length > 0), "whiteBoardId");
  },
  // "Parameter values are urlsafe base64 encoded JSON strings ... {"share": 1} ... The funcConfig
  // parameter must be valid if it is passed and is not empty, and the value of the share entry
  // can only be one of 0 or 1."
  funcConfig: (value: string) => {
    if (value == "") return undefined;
    const config = urlSafeBase64Json(value);
    if (!config) return "base64_json";
    return pass(config.share === 0 || config.share === 1, "share");
  },
};

const minute = (seconds: number) => Math.floor(seconds / 60);

/** Rules between fields, run once each field on its own is fine. */
const across: Record<string, (input: Record<string, unknown>) => Breach[]> = {
  createRecordTask(input) {
    const breaches: Breach[] = [];
    const { quickStart, startTime, endTime, isConcat, fileType } = input as {
      quickStart: boolean;
      startTime?: number;
      endTime: number;
      isConcat?: boolean;
      fileType?: string;
    };
    // startTime: "This parameter is mandatory when quickStart is false."; quickStart: "When
    // true, startRecordTime must not be passed".
    if (quickStart === false && startTime === undefined) {
      breaches.push({ field: "startTime", rule: "required_unless_quick_start" });
    }
    if (quickStart === true && startTime !== undefined) {
      breaches.push({ field: "startTime", rule: "forbidden_with_quick_start" });
    }
    // endTime: "will automatically remove the number of extra seconds accurate to minutes ...
    // must be ... later than the start time accurate to minute. The interval between the end
    // time and the start time, which is accurate to minutes by seconds, cannot exceed 72 hours."
    if (startTime !== undefined && minute(endTime) <= minute(startTime)) {
      breaches.push({ field: "endTime", rule: "after_start" });
    }
    if (startTime !== undefined && minute(endTime) - minute(startTime) > 72 * 60) {
      breaches.push({ field: "endTime", rule: "at_most_72_hours" });
    }
    // isConcat: "If true, the fileType must be in m3u8 format" (fileType: "default is mp4").
    if (isConcat === true && (fileType ?? "mp4") != "m3u8") {
      breaches.push({ field: "fileType", rule: "m3u8_for_concat" });
    }
    return breaches;
  },
  startForwardTask(input) {
    const { startTime, endTime } = input as { startTime?: number; endTime?: number };
    // endTime: "The end time must be more than 5 minutes later than the start time" (the rest
    // of the sentence, "and ... than the current time", is the service's clock, not the input).
    return startTime !== undefined && endTime !== undefined && !(endTime - startTime > 300)
      ? [{ field: "endTime", rule: "five_minutes_after_start" }]
      : [];
  },
  recordTaskQuery(input) {
    // "transNo and taskId have at least one value that is not empty or an empty string."
    const filled = (value: unknown) => typeof value == "string" && value.length > 0;
    return filled(input.taskId) || filled(input.transNo)
      ? []
      : [{ field: "taskId", rule: "one_of" }, { field: "transNo", rule: "one_of" }];
  },
};

/**
 * Judges an input for an action from the spec alone.
 *
 * @param action The action's function name.
 * @param input Anything.
 * @returns Every rule broken; none when the input is valid.
 */
export function judge(action: string, input: unknown): Breach[] {
  if (typeof input != "object" || input == null || Array.isArray(input)) {
    return [{ field: "", rule: "object" }];
  }
  const record = input as Record<string, unknown>;
  const fields = specFields(action);
  const breaches: Breach[] = [];
  // (SDK contract) a field the spec does not list is a mistake (a typo, a wrong action), not
  // something to send. A key holding `undefined` is still a key.
  for (const key of Object.keys(record)) {
    if (!fields.some((field) => field.name == key)) breaches.push({ field: key, rule: "unknown" });
  }
  for (const field of fields) {
    // A key holding `undefined` counts as left out (JSON drops it).
    const value = Object.hasOwn(record, field.name) ? record[field.name] : undefined;
    if (value === undefined) {
      if (field.required) breaches.push({ field: field.name, rule: "required" });
      continue;
    }
    const broken = types[field.type](value) ?? rules[kinds[action][field.name]](value);
    if (broken) breaches.push({ field: field.name, rule: broken });
  }
  return breaches.length ? breaches : (across[action]?.(record) ?? []);
}
