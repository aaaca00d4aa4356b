/**
 * Values for each kind of field (see `oracle.ts`): ones meant to be valid and ones meant to be
 * invalid (boundaries, neighbours of each enumeration, over-long strings). What is meant does
 * not decide anything: the oracle judges every input it ends up in.
 *
 * @module
 */

import fc from "fast-check";
import type { Kind } from "./oracle.ts";

/** Values of one kind: meant to pass, and meant to fail (when a string can fail at all). */
export interface KindValues {
  /** Values meant to pass. */
  readonly valid: fc.Arbitrary<unknown>;
  /** Values of the right type meant to fail, when there are any. */
  readonly invalid?: fc.Arbitrary<unknown>;
}

const repeat = (text: string, min: number, max: number) =>
  fc.integer({ min, max }).map((n) => text.repeat(n));
/** Mostly the edge values, now and then any of the rest. */
const edges = <T>(edge: fc.Arbitrary<T>, rest: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: edge, weight: 3 }, { arbitrary: rest, weight: 2 });
const token = (length: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{1,${length}}$`));

/** UTF-8 JSON of `value` in base64: URL-safe or standard, padded or not. */
const base64Json = (
  value: unknown,
  style: { urlSafe: boolean; padded: boolean },
): string => {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let text = btoa(String.fromCharCode(...bytes));
  if (style.urlSafe) text = text.replaceAll("+", "-").replaceAll("/", "_");
  return style.padded ? text : text.replace(/=+$/, "");
};
const encoded = (values: fc.Arbitrary<unknown>) =>
  fc.tuple(values, fc.boolean(), fc.boolean(), fc.nat(9)).map(([value, padded, safe, odd]) =>
    // Mostly URL-safe (as the spec asks); now and then standard base64, which differs only
    // when the bytes give a `+` or a `/`.
    base64Json(value, { urlSafe: safe || odd > 1, padded })
  );
// Text whose base64 holds `+`, `/` or `_`-worthy bits now and then.
const boardId = fc.oneof(
  fc.constantFrom("xxx", "board-1", "??>>", "~~~", "白板"),
  fc.string({ minLength: 1, maxLength: 12 }),
);

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const domains = fc.oneof(
  fc.constantFrom(
    "push.example.com",
    "PUSH.Example.COM",
    "play-1.example.com",
    "a.b",
    `${"a".repeat(63)}.com`,
    // 253 characters: three labels of 63 and one of 61.
    [..."abc"].map((c) => c.repeat(63)).join(".") + "." + "d".repeat(61),
  ),
  fc.array(label, { minLength: 2, maxLength: 4 }).map((labels) => labels.join(".")),
);

const codes = (all: string[], minLength = 1) =>
  fc.shuffledSubarray(all, { minLength }).map((list) => list.join(","));

const url = (schemes: string[]) =>
  fc.tuple(fc.constantFrom(...schemes), domains, fc.stringMatching(/^[A-Za-z0-9/._?=&-]{0,30}$/))
    .map(([scheme, host, path]) => `${scheme}://${host}/${path}`);

const level = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
const times = fc.integer({ min: 1_600_000_000, max: 1_900_000_000 });
const UNSAFE = 2 ** 53 + 2;

/** The values of every kind. */
export const values: Record<Kind, KindValues> = {
  id: {
    valid: fc.oneof(
      fc.constantFrom("p1", "t1", "dir-1", "频道-1"),
      token(32),
      fc.string({ minLength: 1, maxLength: 20 }),
      repeat("x", 300, 3000),
    ),
    invalid: fc.constant(""),
  },
  anyText: { valid: fc.oneof(fc.constant(""), fc.string({ maxLength: 40 })) },
  name255: {
    valid: edges(
      fc.constantFrom("a", " ", "n".repeat(255), "频".repeat(255)),
      fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), repeat("频", 200, 255)),
    ),
    invalid: edges(
      fc.constantFrom("", "n".repeat(256), "频".repeat(256)),
      repeat("n", 257, 5000),
    ),
  },
  channelType: {
    valid: fc.stringMatching(/^[A-Za-z0-9_]{1,20}$/),
    invalid: fc.constantFrom("", "li-ve", "live stream", "直播", "live/x", "live\n", "live."),
  },
  domain: {
    valid: domains,
    invalid: fc.oneof(
      fc.constantFrom(
        "",
        "localhost",
        "-push.example.com",
        "push-.example.com",
        "push..example.com",
        "push.example.com.",
        ".push.example.com",
        "push_1.example.com",
        "push.example.com/live",
        "https://push.example.com",
        " push.example.com",
        "例子.com",
        `${"a".repeat(64)}.com`,
        // 254 characters: three labels of 63 and one of 62.
        [..."abc"].map((c) => c.repeat(63)).join(".") + "." + "d".repeat(62),
      ),
      domains.map((domain) => `${domain}:8080`),
    ),
  },
  pullProtocols: {
    valid: fc.oneof(
      codes(["0", "1", "2"]),
      codes(["0", "1", "3"]),
      fc.constantFrom("0,0", "3,1,1"),
    ),
    invalid: fc.oneof(
      fc.constantFrom("", "4", "0,", ",0", "0;1", "0, 1", "rtmp", "01", "0,,1"),
      codes(["0", "1"], 0).map((rest) => ["2", "3", ...rest.split(",").filter(Boolean)].join(",")),
    ),
  },
  pullRates: {
    valid: fc.oneof(codes(["0", "1", "2", "3", "4"]), fc.constant("4,4")),
    invalid: fc.constantFrom("", "5", "0,,1", "0 ,1", "0-1", "00", "0,5", "source"),
  },
  idList: {
    valid: fc.oneof(
      fc.array(token(12), { minLength: 1, maxLength: 5 }).map((ids) => ids.join(",")),
      fc.constantFrom("p1", "频道1,频道2", "p1,p1"),
    ),
    invalid: fc.constantFrom("", "p1,", ",p1", "p1,,p2", "p1, p2", " p1", "p1\tp2", "p1 p2", ","),
  },
  idListOrEmpty: {
    valid: fc.oneof(
      fc.constant(""),
      fc.array(token(12), { minLength: 1, maxLength: 5 }).map((ids) => ids.join(",")),
    ),
    invalid: fc.constantFrom("p1,", ",p1", "p1,,p2", "p1, p2", " ", "p1 p2", ","),
  },
  stringFlag: {
    valid: fc.constantFrom("0", "1"),
    invalid: fc.constantFrom("", "2", "true", " 1", "01", "yes"),
  },
  numberFlag: { valid: fc.constantFrom(0, 1), invalid: fc.constantFrom(-1, 2, 0.5, 10) },
  videoEncrypted: { valid: fc.constantFrom(0, 1, 2), invalid: fc.constantFrom(3, -1, 1.5) },
  positiveSeconds: {
    valid: edges(
      fc.constantFrom(1, 604800, Number.MAX_SAFE_INTEGER),
      fc.integer({ min: 1, max: 1_000_000_000 }),
    ),
    invalid: edges(fc.constant(0), fc.constantFrom(-1, -604800, 0.5, 3600.5, UNSAFE, 1e21)),
  },
  pageIndex: {
    valid: edges(
      fc.constantFrom(1, Number.MAX_SAFE_INTEGER),
      fc.integer({ min: 1, max: 1_000_000 }),
    ),
    invalid: edges(fc.constant(0), fc.constantFrom(-1, 1.5, UNSAFE, -0.5)),
  },
  pageSize: {
    valid: edges(fc.constantFrom(1, 50), fc.integer({ min: 1, max: 50 })),
    invalid: edges(
      fc.constantFrom(0, 51),
      fc.oneof(fc.constantFrom(-1, 10.5), fc.integer({ min: 52, max: 10_000 })),
    ),
  },
  listOrder: { valid: fc.constantFrom(0, 1), invalid: fc.constantFrom(2, -1, 0.5) },
  playerSize: {
    valid: edges(
      fc.constantFrom("1280*720", "1024*768", "1024*576", "640*360", "480*360", "1920*1080"),
      fc.tuple(fc.integer({ min: 480, max: 1920 }), fc.integer({ min: 360, max: 1080 }))
        .map(([w, h]) => `${w}*${h}`),
    ),
    invalid: edges(
      fc.constantFrom("479*360", "480*359", "1921*1080", "1920*1081", "480*1081", "1921*360"),
      fc.oneof(
        fc.constantFrom(
          "1280x720",
          "1280 * 720",
          "1280*",
          "*720",
          "",
          "1280*720*1",
          "-480*360",
          "1280.5*720",
          "10000*720",
        ),
        fc.tuple(fc.integer({ min: 1, max: 479 }), fc.integer({ min: 1, max: 5000 }))
          .map(([w, h]) => `${w}*${h}`),
      ),
    ),
  },
  codeType: {
    valid: fc.constantFrom("0", "2", "4", "5"),
    invalid: fc.constantFrom("1", "3", "6", "", "all", "00"),
  },
  secondsString: {
    valid: fc.oneof(
      fc.integer({ min: 1, max: 1_000_000_000 }).map(String),
      fc.constantFrom("1", "99999999999999999999"),
    ),
    invalid: fc.constantFrom("0", "-1", "1.5", "01", "", " 3600", "3600s", "1e3", "0x10"),
  },
  sourcePullUrl: {
    valid: fc.oneof(
      url(["rtmp", "http", "https"]),
      // Upper-case schemes: a URL scheme is case-insensitive and the spec says nothing more.
      url(["RTMP", "Http", "HTTPS"]),
    ),
    invalid: fc.oneof(
      fc.constantFrom("", "rtmp://", "rtmp:/x", "rtmp://a b", "origin.example.com/live"),
      url(["ftp", "srt", "rtmps", "rtsp"]),
    ),
  },
  pushSourceProtocol: {
    valid: fc.constantFrom("0", "1"),
    invalid: fc.constantFrom("2", "3", "", "rtmp", "0,1"),
  },
  anySourceProtocol: {
    valid: fc.constantFrom("0", "1", "2", "3"),
    invalid: fc.constantFrom("4", "", "0,1", "hls"),
  },
  notifyUrl: {
    valid: fc.oneof(
      url(["http", "https"]),
      fc.constantFrom("https://hooks.example.com/x", "http://127.0.0.1:8080/cb?x=1"),
    ),
    invalid: fc.oneof(
      fc.constantFrom("", "https://", "https://a b", "hooks.example.com", " https://h.example"),
      url(["HTTP", "Https", "ftp", "ws"]),
    ),
  },
  forwardUrl: {
    valid: fc.oneof(url(["rtmp"]), url(["RTMP"])),
    invalid: fc.oneof(
      fc.constantFrom("", "rtmp://", "rtmp://a b", "relay.example.com/live"),
      url(["rtmps", "http", "srt"]),
    ),
  },
  unixSeconds: {
    valid: times,
    invalid: fc.constantFrom(-1, -1_764_000_000, 1.5, 1_764_000_000.5, UNSAFE),
  },
  fileType: {
    valid: fc.constantFrom("mp4", "flv", "m3u8"),
    invalid: fc.constantFrom("MP4", "mov", "", "m3u8 ", "ts"),
  },
  boolean: { valid: fc.boolean() },
  transNo: {
    valid: fc.oneof(
      fc.constantFrom("x", "x".repeat(32)),
      fc.stringMatching(/^[a-f0-9]{1,32}$/),
      fc.uuid().map((id) => id.replaceAll("-", "")),
      fc.string({ minLength: 1, maxLength: 32 }),
    ),
    invalid: edges(fc.constantFrom("", "x".repeat(33)), fc.oneof(repeat("x", 34, 100), fc.uuid())),
  },
  queryId: { valid: fc.oneof(fc.constant(""), token(24)) },
  queryTransNo: {
    valid: fc.oneof(fc.constant(""), fc.stringMatching(/^[a-f0-9]{1,32}$/)),
    invalid: edges(fc.constant("x".repeat(33)), repeat("x", 34, 100)),
  },
  directoryType: {
    valid: edges(
      fc.constantFrom("x", "x".repeat(40)),
      fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/),
    ),
    invalid: edges(
      fc.constantFrom("", "x".repeat(41)),
      fc.oneof(fc.constantFrom("events-2026", "目录", "a b"), repeat("y", 42, 400)),
    ),
  },
  firstLevelDirectory: {
    valid: fc.oneof(
      level,
      fc.constantFrom("cloud", "cloudx", "-", "videos", "live2", "a".repeat(128), "adx"),
    ),
    invalid: fc.constantFrom(
      "",
      "video",
      "live",
      "ad",
      "static",
      "record",
      "cloudv",
      "cloudv-x",
      "cloudvideo",
      "Events",
      "a".repeat(129),
      "a_b",
      "a/b",
      "事件",
    ),
  },
  directoryLevel: {
    valid: fc.oneof(level, fc.constantFrom("video", "live", "ad", "a".repeat(128), "cloud")),
    invalid: fc.constantFrom("", "cloudv1", "cloudv-", "A", "a".repeat(129), "a b", "a.b"),
  },
  codingParams: {
    valid: fc.oneof(
      fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 4,
      }).map((object) => JSON.stringify(object)),
      fc.constantFrom("{}", '{"bitrate":1200}', " {} "),
    ),
    invalid: fc.constantFrom("", "[]", "null", "1", '"x"', "{", "{'a':1}", "true", "[{}]"),
  },
  forwardStatus: {
    valid: fc.array(fc.constantFrom("0", "1", "2", "3"), { minLength: 1, maxLength: 4 })
      .map((list) => list.join("-")),
    invalid: fc.constantFrom("", "4", "0,1", "0-", "-0", "0--1", "0 - 1", "01", "0-4"),
  },
  whiteBoardConfig: {
    valid: encoded(fc.oneof(
      fc.constant({ open: 0 }),
      boardId.map((whiteBoardId) => ({ open: 1, whiteBoardId })),
      boardId.map((whiteBoardId) => ({ open: 0, whiteBoardId })),
    )),
    invalid: fc.oneof(
      encoded(fc.constantFrom(
        { open: 2 },
        { open: "1", whiteBoardId: "x" },
        {},
        { open: 1 },
        { open: 1, whiteBoardId: 5 },
        { open: 1, whiteBoardId: "" },
        [],
        null,
        { open: true, whiteBoardId: "x" },
      )),
      fc.constantFrom("", "%%%", '{"open":0}', "eyJvcGVuIjowfQ=", "e"),
      // Not URL-safe base64: whitespace around it, which a lenient decoder skips.
      encoded(fc.constant({ open: 0 })).map((text) => ` ${text}`),
    ),
  },
  funcConfig: {
    valid: fc.oneof(
      encoded(fc.constantFrom({ share: 0 }, { share: 1 }, { share: 1, note: "??>>" })),
      // "must be valid if it is passed and is not empty": empty is allowed.
      fc.constant(""),
    ),
    invalid: fc.oneof(
      encoded(fc.constantFrom({ share: 2 }, { share: "1" }, {}, [], null, { share: true })),
      fc.constantFrom("%%%", '{"share":1}', "e"),
    ),
  },
};

/** Values of the wrong type for a field of spec type `type` (nested lists of a good one too). */
export const wrongTypes = (type: string, good: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => {
  const nested = fc.oneof(
    good.map((value) => [value]),
    good.map((value) => [[value]]),
    good.map((value) => ({ value })),
  );
  const common = fc.constantFrom<unknown>(null, {}, [], NaN);
  if (type == "string") {
    return fc.oneof(common, nested, fc.integer(), fc.double(), fc.boolean());
  }
  if (type == "integer") {
    return fc.oneof(
      common,
      nested,
      good.map(String),
      fc.constantFrom("", "abc", true, Infinity, -Infinity),
      fc.double({ noInteger: true }),
    );
  }
  return fc.oneof(common, nested, fc.constantFrom("true", "false", 0, 1, ""));
};
