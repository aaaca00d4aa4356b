// Requests signed by code that is not ours, written from SIGNING.md: Node's crypto here, and a
// Python client in the vendor SDK's style. The simulator must accept what the vendor's SDKs send.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { createSimulator } from "../../src/simulator/mod.ts";
import { python } from "../helpers.ts";

const credentials = { accessKey: "AK_FOREIGN", secretKey: "SK+foreign/secret=1" };
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** Signs per SIGNING.md with node:crypto, independently of src/signer.ts. */
function foreignHeaders(
  host: string,
  path: string,
  body: string,
  signedHeaders = "content-type;host",
) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const values: Record<string, string> = {
    "content-type": "application/json",
    host,
    "x-cnc-timestamp": timestamp,
  };
  const names = [...new Set(signedHeaders.toLowerCase().split(";"))].sort();
  const canonicalHeaders = names.map((n) => `${n}:${(values[n] ?? "").toLowerCase()}\n`).join("");
  const canonicalRequest = ["POST", path, "", canonicalHeaders, names.join(";"), sha256(body)].join(
    "\n",
  );
  const stringToSign = ["CNC-HMAC-SHA256", timestamp, sha256(canonicalRequest)].join("\n");
  const signature = createHmac("sha256", credentials.secretKey).update(stringToSign, "utf8").digest(
    "hex",
  );
  return {
    "Content-Type": "application/json",
    Accept: "application/json",
    "x-cnc-auth-method": "AKSK",
    "x-cnc-accessKey": credentials.accessKey,
    "x-cnc-timestamp": timestamp,
    Authorization: `CNC-HMAC-SHA256 Credential=${credentials.accessKey}, SignedHeaders=${
      names.join(";")
    }, Signature=${signature}`,
  };
}

Deno.test("requests signed with node:crypto from the spec are accepted", async () => {
  const simulator = createSimulator({ credentials: [credentials] });
  const served = await simulator.serve();
  try {
    const host = new URL(served.url).host;
    for (const signed of ["content-type;host", "Host;X-CNC-Timestamp;content-type"]) {
      const path = "/live/channelManage/createChannel";
      const body = JSON.stringify({
        channelName: `演示 ${signed}`,
        channelType: "live",
        pushDomain: "push.example.com",
        pullRate: "0",
      });
      const response = await fetch(served.url + path, {
        method: "POST",
        headers: foreignHeaders(host, path, body, signed),
        body,
      });
      const json = await response.json();
      assert.equal(response.status, 200, JSON.stringify(json));
      assert.equal(json.code, 200);
      assert.match(json.data.pullId, /^[0-9a-f]{20}$/);
    }
    assert.equal(simulator.store.channels.size, 2);
  } finally {
    await served.close();
  }
});

Deno.test("a Python client in the vendor SDK's style works end to end", async () => {
  const simulator = createSimulator({ credentials: [credentials] });
  const served = await simulator.serve();
  try {
    const created = await python(
      served.url,
      credentials.accessKey,
      credentials.secretKey,
      "/live/channelManage/createChannel",
      {
        channelName: "来自 Python",
        channelType: "live",
        pushDomain: "push.example.com",
        pullRate: "0,1",
      },
    );
    assert.equal(created.status, 200);
    const pullId = (created.body.data as { pullId: string }).pullId;
    const listed = await python(
      served.url,
      credentials.accessKey,
      credentials.secretKey,
      "/live/channelManage/getChannelList",
      { pageSize: 10 },
      "x-cnc-timestamp;content-type;host",
    );
    assert.equal(listed.status, 200);
    const data = listed.body.data as { channelList: { pullId: string; channelName: string }[] };
    assert.deepEqual(data.channelList.map((c) => [c.pullId, c.channelName]), [[
      pullId,
      "来自 Python",
    ]]);
    const wrongSecret = await python(
      served.url,
      credentials.accessKey,
      "SK_wrong",
      "/live/channelManage/getChannelList",
      {},
    );
    assert.equal(wrongSecret.status, 462);
    assert.equal(wrongSecret.body.code, "SignatureDoesNotMatch");
  } finally {
    await served.close();
  }
});
