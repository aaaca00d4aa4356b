// The ranges, enumerations and cross-field rules the spec's notes state, each refused before
// anything is sent, with the field and the rule named.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { examples } from "../fixtures/examples.ts";
import { recordingFetch, testCredentials } from "../helpers.ts";

type ActionFunction = (client: sdk.WangsuClient, input: unknown) => Promise<unknown>;
const functions = sdk as unknown as Record<string, ActionFunction>;

const refused: [action: string, change: Record<string, unknown>, field: string, text: RegExp][] = [
  ["getChannelList", { pageSize: 0 }, "pageSize", /at least 1/],
  ["getChannelList", { pageSize: 51 }, "pageSize", /at most 50/],
  ["getChannelList", { pageSize: 2.5 }, "pageSize", /whole number/],
  ["getChannelList", { pageIndex: 0 }, "pageIndex", /at least 1/],
  ["getChannelList", { listOrder: 2 }, "listOrder", /0 \(newest first\) or 1/],
  ["getDirectoryList", { pageSize: 100 }, "pageSize", /at most 50/],
  ["getForwardTaskList", { status: "0-4" }, "status", /0 to 3/],
  ["createChannel", { channelName: "" }, "channelName", /must not be empty/],
  ["createChannel", { channelName: "x".repeat(256) }, "channelName", /at most 255/],
  ["createChannel", { channelType: "live/x" }, "channelType", /letters, digits and underscores/],
  ["createChannel", { pushDomain: "not a domain" }, "pushDomain", /domain name/],
  ["createChannel", { pullProtocol: "2,3" }, "pullProtocol", /both 2 and 3/],
  ["createChannel", { pullProtocol: "0;1" }, "pullProtocol", /separated by commas/],
  ["createChannel", { pullRate: "5" }, "pullRate", /0, 1, 2, 3, 4/],
  ["createChannel", { live2vod: "yes" }, "live2vod", /"0" or "1"/],
  ["createChannel", { videoEncrypted: 3 }, "videoEncrypted", /DRM/],
  ["createChannel", { hlsEncryptDuration: 0 }, "hlsEncryptDuration", /at least 1/],
  ["createChannel", { funcConfig: "eyJzaGFyZSI6IDJ9" }, "funcConfig", /share/],
  ["createChannel", { funcConfig: "not base64!" }, "funcConfig", /base64/],
  ["channelEdit", { whiteBoardConfig: "eyJvcGVuIjogMX0" }, "whiteBoardConfig", /whiteBoardId/],
  ["channelEdit", { resetPushId: "2" }, "resetPushId", /"0" or "1"/],
  ["deleteChannel", { pullId: "p1, p2" }, "pullId", /separated by commas/],
  ["deleteChannel", { pullId: "" }, "pullId", /separated by commas/],
  ["getChannelConf", { pullId: "" }, "pullId", /must not be empty/],
  ["setPushTsatc", { effectiveHourLong: "1h" }, "effectiveHourLong", /whole number of seconds/],
  ["getSinglePullCode", { playerSize: "320*240" }, "playerSize", /480\*360 and 1920\*1080/],
  ["getSinglePullCode", { playerSize: "1280x720" }, "playerSize", /W\*H/],
  ["getSinglePullCode", { codeType: "1" }, "codeType", /"0" \(all\)/],
  ["getSinglePullCode", { autoPlay: 2 }, "autoPlay", /0 or 1/],
  ["createPullChannel", { sourcePullProtocol: "2" }, "sourcePullProtocol", /RTMP/],
  ["createPullChannel", { sourcePullUrl: "ftp://x/y" }, "sourcePullUrl", /rtmp:\/\//],
  ["editPullChannel", { sourcePullProtocol: "4" }, "sourcePullProtocol", /HDS/],
  ["setChannelStateRealtimeBack", { notifyUrl: "HTTP://x.example" }, "notifyUrl", /http:\/\//],
  ["setChannelStateRealtimeBack", { open: 2 }, "open", /0 or 1/],
  ["createRecordTask", { transNo: "x".repeat(33) }, "transNo", /at most 32/],
  ["createRecordTask", { fileType: "avi" }, "fileType", /"mp4", "flv" or "m3u8"/],
  ["createRecordTask", { isConcat: true, fileType: "mp4" }, "fileType", /"m3u8" when isConcat/],
  ["createRecordTask", { quickStart: true }, "startTime", /left out when it is true/],
  ["createRecordTask", { quickStart: false, startTime: undefined }, "startTime", /given when/],
  ["createRecordTask", { endTime: 1764000059 }, "endTime", /one minute after startTime/],
  ["createRecordTask", { endTime: 1764000000 + 72 * 3600 + 60 }, "endTime", /72 hours/],
  ["recordTaskQuery", { taskId: undefined, transNo: undefined }, "taskId", /unless transNo/],
  ["recordTaskQuery", { taskId: "", transNo: "" }, "taskId", /is required unless transNo is given/],
  ["directoryCreate", { directoryType: "a-b" }, "directoryType", /letters, digits or underscores/],
  ["directoryCreate", { firstLevelDirectory: "Events" }, "firstLevelDirectory", /lowercase/],
  ["directoryCreate", { firstLevelDirectory: "record" }, "firstLevelDirectory", /reserved/],
  ["directoryCreate", { firstLevelDirectory: "cloudv-x" }, "firstLevelDirectory", /cloudv/],
  ["directoryCreate", { thirdLevelDirectory: "cloudvx" }, "thirdLevelDirectory", /cloudv/],
  ["startForwardTask", { forwardUrl: "http://x/y" }, "forwardUrl", /rtmp:\/\//],
  ["startForwardTask", { endTime: 1764000300 }, "endTime", /5 minutes after startTime/],
  ["startForwardTask", { codingParams: "bitrate=1200" }, "codingParams", /JSON object/],
  ["startForwardTask", { startTime: -1 }, "startTime", /negative/],
];

for (const [action, change, field, text] of refused) {
  Deno.test(`${action}: ${JSON.stringify(change).slice(0, 60)} is refused on ${field}`, async () => {
    const fetch = recordingFetch();
    const client = sdk.createClient({ ...testCredentials, fetch });
    const input: Record<string, unknown> = { ...examples[action], ...change };
    for (const key of Object.keys(change)) if (change[key] === undefined) delete input[key];
    const error = await functions[action](client, input).catch((e) => e);
    assert.ok(error instanceof sdk.WangsuValidationError, String(error));
    const issue = error.issues.find((i: sdk.ValidationIssue) => i.path == field);
    assert.ok(issue, JSON.stringify(error.issues));
    assert.match(issue.message, text);
    assert.ok(issue.message.startsWith(`${field}: `), issue.message);
    assert.equal(fetch.requests.length, 0);
  });
}

Deno.test("edge values inside the rules are accepted", async () => {
  const fetch = recordingFetch();
  const client = sdk.createClient({ ...testCredentials, fetch });
  const accepted: [string, Record<string, unknown>][] = [
    ["getChannelList", { pageSize: 1 }],
    ["getChannelList", { pageSize: 50 }],
    ["createRecordTask", { endTime: 1764000000 + 72 * 3600 }],
    ["createRecordTask", { quickStart: true, startTime: undefined }],
    ["batchChannelLiveState", { pullIds: "" }],
    ["getSinglePullCode", { playerSize: "1920*1080" }],
    ["recordTaskQuery", { taskId: undefined }],
  ];
  for (const [action, change] of accepted) {
    const input: Record<string, unknown> = { ...examples[action], ...change };
    for (const key of Object.keys(change)) if (change[key] === undefined) delete input[key];
    await functions[action](client, input).catch((error) => {
      if (error instanceof sdk.WangsuValidationError) {
        assert.fail(`${action} ${JSON.stringify(change)}: ${error.message}`);
      }
    });
  }
  assert.equal(fetch.requests.length, accepted.length);
});
