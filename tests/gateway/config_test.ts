// Gateway configuration from the environment: the variables added with the security work, and
// configuration errors renamed after the variable an operator sets.
import assert from "node:assert/strict";
import {
  createGatewayFromEnvironment,
  gatewayOptionsFromEnvironment,
  replayShardsFromEnvironment,
} from "../../src/gateway/config.ts";
import { WangsuValidationError } from "../../src/errors.ts";

const secret = `SK-${crypto.randomUUID()}`;
const token = `tok-${crypto.randomUUID()}`;
const base = {
  WANGSU_ACCESS_KEY: "AK_MASTER",
  WANGSU_SECRET_KEY: secret,
  GATEWAY_KEYS: JSON.stringify([{ name: "viewer", token, actions: ["read"] }]),
};
const thrown = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof WangsuValidationError, String(error));
    return error;
  }
  assert.fail("accepted");
};

Deno.test("the stream caps come from GATEWAY_MAX_STREAMS_PER_KEY and GATEWAY_MAX_STREAMS", () => {
  const callbacks = { ...base, GATEWAY_CALLBACK_TOKEN: `cb_${"0123456789abcdef".repeat(2)}` };
  const options = gatewayOptionsFromEnvironment({
    ...callbacks,
    GATEWAY_MAX_STREAMS_PER_KEY: "3",
    GATEWAY_MAX_STREAMS: "50",
  });
  assert.equal(options.callbacks?.maxStreamsPerKey, 3);
  assert.equal(options.callbacks?.maxStreams, 50);
  assert.match(
    thrown(() => gatewayOptionsFromEnvironment({ ...callbacks, GATEWAY_MAX_STREAMS_PER_KEY: "x" }))
      .message,
    /GATEWAY_MAX_STREAMS_PER_KEY: must be a whole number above 0/,
  );
});

Deno.test("GATEWAY_EVENT_ORDER_MS=0 turns the order window off, as documented; -1 and 1.5 are refused", () => {
  const callbacks = { ...base, GATEWAY_CALLBACK_TOKEN: `cb_${"0123456789abcdef".repeat(2)}` };
  const options = gatewayOptionsFromEnvironment({ ...callbacks, GATEWAY_EVENT_ORDER_MS: "0" });
  assert.equal(options.callbacks?.orderWindowMs, 0);
  assert.equal(
    gatewayOptionsFromEnvironment({ ...callbacks, GATEWAY_EVENT_ORDER_MS: "250" }).callbacks
      ?.orderWindowMs,
    250,
  );
  for (const bad of ["-1", "1.5", "soon"]) {
    assert.match(
      thrown(() => gatewayOptionsFromEnvironment({ ...callbacks, GATEWAY_EVENT_ORDER_MS: bad }))
        .message,
      /GATEWAY_EVENT_ORDER_MS: must be a whole number of 0 or more/,
    );
  }
  // The other counts still need at least 1.
  assert.match(
    thrown(() => gatewayOptionsFromEnvironment({ ...callbacks, GATEWAY_EVENT_HISTORY: "0" }))
      .message,
    /GATEWAY_EVENT_HISTORY: must be a whole number above 0/,
  );
});

Deno.test("replay shards: GATEWAY_REPLAY_SHARDS checked, the shard secret chosen and checked", () => {
  assert.deepEqual(replayShardsFromEnvironment({ ...base, GATEWAY_REPLAY_SHARDS: "8" }), {
    replayShards: 8,
    shardSecret: secret,
  });
  const own = `shard-${crypto.randomUUID()}`;
  assert.equal(
    replayShardsFromEnvironment({ ...base, GATEWAY_REPLAY_SHARD_SECRET: own }).shardSecret,
    own,
  );
  assert.match(
    thrown(() => replayShardsFromEnvironment({ ...base, GATEWAY_REPLAY_SHARDS: "0.5" })).message,
    /GATEWAY_REPLAY_SHARDS: must be a whole number/,
  );
  assert.match(
    thrown(() => replayShardsFromEnvironment({ ...base, GATEWAY_REPLAY_SHARD_SECRET: "short" }))
      .message,
    /GATEWAY_REPLAY_SHARD_SECRET: must be at least 16/,
  );
});

Deno.test("createGateway's refusals name the variable, never the value", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [
      { GATEWAY_KEYS: JSON.stringify([{ token: "a".repeat(32), actions: ["read"] }]) },
      /GATEWAY_KEYS\.0\.token: is too easy to guess/,
    ],
    [{ GATEWAY_CORS_ORIGINS: "null" }, /GATEWAY_CORS_ORIGINS\.0: "null" is not an origin/],
    [{ WANGSU_ENDPOINT: "http://open.chinanetcenter.com" }, /WANGSU_ENDPOINT: must use https:/],
    [{ GATEWAY_CALLBACK_TOKEN: "short" }, /GATEWAY_CALLBACK_TOKEN: must be 32 to 256/],
  ];
  for (const [env, expected] of cases) {
    const error = thrown(() =>
      createGatewayFromEnvironment(gatewayOptionsFromEnvironment({ ...base, ...env }))
    );
    assert.match(error.message, expected);
    assert.ok(!error.message.includes("a".repeat(32)));
  }
});

Deno.test("GATEWAY_WEBHOOKS without GATEWAY_CALLBACK_TOKEN is refused, naming both", () => {
  const webhooks = {
    ...base,
    GATEWAY_WEBHOOKS: JSON.stringify([{
      name: "ops",
      url: "https://hooks.example.com/wangsu",
      secret: `whsec_${btoa(crypto.randomUUID())}`,
    }]),
  };
  const error = thrown(() => gatewayOptionsFromEnvironment(webhooks));
  assert.match(error.message, /GATEWAY_WEBHOOKS: .*needs GATEWAY_CALLBACK_TOKEN/);
  assert.equal(error.issues[0].path, "GATEWAY_WEBHOOKS");
  assert.ok(!error.message.includes("whsec_"), error.message);
  const token = `cb_${crypto.randomUUID().replaceAll("-", "")}`;
  const options = gatewayOptionsFromEnvironment({ ...webhooks, GATEWAY_CALLBACK_TOKEN: token });
  assert.equal(options.callbacks?.token, token);
});
