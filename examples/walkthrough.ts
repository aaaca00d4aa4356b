/**
 * A short tour that needs no account and no network: validation, signing and typed errors,
 * against a stand-in `fetch`.
 *
 * @module
 */

import {
  createClient,
  getChannelList,
  signRequest,
  WangsuApiError,
  WangsuValidationError,
} from "../mod.ts";

const body = JSON.stringify({ pageIndex: 1, pageSize: 10 });
const headers = await signRequest(
  {
    method: "POST",
    url: "https://open.chinanetcenter.com/live/channelManage/getChannelList",
    body,
  },
  { accessKey: "AK_EXAMPLE_0001", secretKey: "SK_example_secret_0001" },
  { timestamp: 1764000000 },
);
console.log("1. Signed headers for getChannelList:");
headers.forEach((value, name) => console.log(`   ${name}: ${value}`));

const client = createClient({
  accessKey: "AK_DEMO",
  secretKey: "SK_DEMO",
  fetch: () =>
    Promise.resolve(
      Response.json({ code: 30001, message: "demo: no such account" }, {
        headers: { "x-cnc-request-id": "demo-1" },
      }),
    ),
});

try {
  await getChannelList(client, { pageSize: 500 });
} catch (error) {
  if (error instanceof WangsuValidationError) {
    console.log("2. Refused before sending:", error.issues);
  }
}

try {
  await getChannelList(client, { pageSize: 20 });
} catch (error) {
  if (error instanceof WangsuApiError) {
    console.log("3. API error:", { code: error.code, requestId: error.requestId });
  }
}
console.log("4. The client prints without its secret:", String(client));
