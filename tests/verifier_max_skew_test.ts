// verifyRequest's `maxSkewSeconds`: a request is accepted while its timestamp is at most that
// many seconds from the verifier's clock, on either side, and refused as `skew` one second beyond;
// without the option the window is 300 s. The clock is the `now` option, never the wall clock.
import assert from "node:assert/strict";
import { signRequestSync } from "../src/signer.ts";
import { verifyRequest } from "../src/verifier.ts";

const credentials = {
  accessKey: "AK_SKEW",
  secretKey: `SK-${crypto.randomUUID().replaceAll("-", "")}`,
};
const NOW = 1_790_000_000;
const url = "https://api.test/live/channelManage/getChannelList";
const body = '{"pageSize":10}';

/** A request signed at `timestamp`, checked at `NOW` with `options`. */
const verifyAt = (timestamp: number, maxSkewSeconds?: number) => {
  const headers = signRequestSync({ method: "POST", url, body }, credentials, { timestamp });
  const request = new Request(url, { method: "POST", headers, body });
  return verifyRequest(
    request,
    (key) => key == credentials.accessKey ? credentials.secretKey : undefined,
    maxSkewSeconds === undefined ? { now: NOW } : { now: NOW, maxSkewSeconds },
  );
};

Deno.test("verifyRequest maxSkewSeconds: accepted at the edge of the window, refused a second beyond", async () => {
  for (const skew of [0, 5, 45]) {
    for (const side of [-1, 1]) {
      const inside = await verifyAt(NOW + side * skew, skew);
      assert.equal(inside.ok, true, `${side * skew} s with maxSkewSeconds ${skew}`);
      const outside = await verifyAt(NOW + side * (skew + 1), skew);
      assert.equal(outside.ok, false, `${side * (skew + 1)} s with maxSkewSeconds ${skew}`);
      if (!outside.ok) {
        assert.equal(outside.reason, "skew");
        assert.equal(
          outside.message,
          `x-cnc-timestamp ${NOW + side * (skew + 1)} is more than ${skew} s from the server ` +
            `time ${NOW}`,
        );
      }
    }
  }
});

Deno.test("verifyRequest maxSkewSeconds: 300 s when omitted, and a wider window accepts more", async () => {
  assert.equal((await verifyAt(NOW - 300)).ok, true);
  assert.equal((await verifyAt(NOW + 300)).ok, true);
  const stale = await verifyAt(NOW - 301);
  assert.equal(stale.ok, false);
  assert.equal(!stale.ok && stale.reason, "skew");
  assert.match(!stale.ok ? stale.message : "", /more than 300 s/);
  assert.equal((await verifyAt(NOW - 301, 600)).ok, true, "600 s accepts what 300 s refuses");
  assert.equal((await verifyAt(NOW - 600, 600)).ok, true);
  assert.equal((await verifyAt(NOW - 601, 600)).ok, false);
});
