// A load generator in its own process (plain Node, no dependencies), so that the workers under
// test do not share an event loop with the load: `connections` keep-alive sockets each send
// POSTs back to back for `seconds`. Bearer mode sends a fixed token; signed mode signs every
// request with node:crypto (CNC-HMAC-SHA256, a nonce header signed so that no two requests are
// alike, as replays are refused). Prints one JSON line: requests, perSecond, p50, p99, errors.
//
//   node bench/load_generator.mjs <url> <bearer|signed|none> <connections> <seconds> [token|ak:sk]
import http from "node:http";
import { createHash, createHmac } from "node:crypto";
import { runLoad } from "./run_load.mjs";

const [url, mode, connections, seconds, credential = ""] = process.argv.slice(2);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
const body = '{"pageSize":10}';
const bodyHash = createHash("sha256").update(body).digest("hex");
const [accessKey, secretKey] = credential.split(":");
let nonce = 0;

const headersFor = () => {
  const headers = { "content-type": "application/json", "content-length": String(body.length) };
  if (mode == "bearer") headers.authorization = `Bearer ${credential}`;
  if (mode != "signed") return headers;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const id = `${process.pid}-${nonce++}`;
  const signedHeaders = "content-type;host;x-bench-nonce";
  const canonical = [
    "POST",
    target.pathname,
    "",
    `content-type:application/json\nhost:${target.host}\nx-bench-nonce:${id}\n`,
    signedHeaders,
    bodyHash,
  ].join("\n");
  const toSign = `CNC-HMAC-SHA256\n${timestamp}\n${
    createHash("sha256").update(canonical).digest("hex")
  }`;
  const signature = createHmac("sha256", secretKey).update(toSign).digest("hex");
  return {
    ...headers,
    "x-bench-nonce": id,
    "x-cnc-auth-method": "AKSK",
    "x-cnc-accesskey": accessKey,
    "x-cnc-timestamp": timestamp,
    authorization:
      `CNC-HMAC-SHA256 Credential=${accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
};

const once = () =>
  new Promise((resolve) => {
    const request = http.request(
      target,
      { method: "POST", agent, headers: headersFor() },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode == 200 ? undefined : `HTTP ${res.statusCode}`));
      },
    );
    request.on("error", (error) => resolve(String(error.message)));
    request.end(body);
  });

const result = await runLoad(once, { connections: Number(connections), seconds: Number(seconds) });
agent.destroy();
console.log(JSON.stringify(result));
