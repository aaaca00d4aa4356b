// GATEWAY_PAGE on the self-hosted Deno entry, a real `workers/deno.ts` process: with `on` it
// serves the page at `/` and Swagger UI's files under `/_console/` (read from the npm package);
// unset, a production gateway shows nothing there. The same processes show GATEWAY_MAX_BODY_BYTES
// and GATEWAY_CORS_ORIGINS read from the process's own environment, over real HTTP.
import assert from "node:assert/strict";
import { entryEnvironment, startEntry, untilHealthy } from "../security/deno_entry_fixture.ts";

/** Status, type and body of `path` on a running entry. */
async function get(url: string, path: string) {
  const response = await fetch(`${url}${path}`);
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    text: await response.text(),
  };
}

Deno.test("GATEWAY_PAGE=on: the page and its files are served; the body limit and CORS origins hold", async () => {
  const { env } = entryEnvironment();
  const entry = startEntry({
    ...env,
    GATEWAY_PAGE: "on",
    GATEWAY_MAX_BODY_BYTES: "64",
    GATEWAY_CORS_ORIGINS: "https://a.example",
    GATEWAY_AUDIT_LOG: "off",
  });
  try {
    await untilHealthy(entry);
    const page = await get(entry.url, "/");
    assert.equal(page.status, 200, entry.stderr());
    assert.match(page.type, /^text\/html/);
    assert.match(page.text, /<title>Wangsu gateway<\/title>/);
    const styles = await get(entry.url, "/_console/swagger-ui.css");
    assert.equal(styles.status, 200);
    assert.match(styles.type, /^text\/css/);
    assert.ok(styles.text.length > 1_000, "Swagger UI's stylesheet, from the npm package");

    const post = (size: number) =>
      fetch(`${entry.url}/live/channelManage/getChannelList`, {
        method: "POST",
        body: `{"listOrder":"${"x".repeat(size - 16)}"}`,
      }).then(async (response) => [response.status, (await response.json()).message]);
    assert.deepEqual(await post(65), [413, "The body is larger than 64 bytes"]);
    assert.equal((await post(64))[0], 401, "within the limit: on to authentication");

    const preflight = async (origin: string) => {
      const response = await fetch(`${entry.url}/live/channelManage/getChannelList`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
      await response.body?.cancel();
      return response.headers.get("access-control-allow-origin");
    };
    assert.equal(await preflight("https://a.example"), "https://a.example");
    assert.equal(await preflight("https://b.example"), null);
  } finally {
    await entry.stop();
  }
});

Deno.test("GATEWAY_PAGE unset: nothing at / or under /_console/", async () => {
  const { env } = entryEnvironment();
  const entry = startEntry({ ...env, GATEWAY_AUDIT_LOG: "off" });
  try {
    await untilHealthy(entry);
    for (const path of ["/", "/_console/swagger-ui.css"]) {
      const { status, text } = await get(entry.url, path);
      assert.equal(status, 404, path);
      assert.equal(JSON.parse(text).message, `Nothing at ${path}`);
    }
  } finally {
    await entry.stop();
  }
});
