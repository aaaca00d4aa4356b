/**
 * The page at `/` (see `console.ts`): its markup, its script and stylesheet (served as files
 * under `/_console/`, so that the page holds no inline script or style and its
 * Content-Security-Policy can allow the gateway's own files only), and that policy. Kept apart so
 * that a gateway loads it with the first request for the page, not at start-up.
 *
 * @module
 */

/**
 * The page's Content-Security-Policy: scripts, styles, images, fonts and requests from the
 * gateway itself only (images also as `data:` URLs, which Swagger UI's stylesheet uses for its
 * icons), no plugin, no `<base>`, no form posts, and no framing by any page.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** JSON for a data block: `<` escaped so that no value can close the element. */
const inline = (value: unknown) => JSON.stringify(value).replaceAll("<", "\\u003c");

/**
 * The page's HTML. Its settings travel in a JSON data block, which no browser runs as script.
 *
 * @param demo Whether to show the live console of the demo.
 * @param token The demo's read-only token (empty outside demo mode).
 */
export const page = (demo: boolean, token: string): string =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wangsu gateway</title>
<link rel="stylesheet" href="/_console/swagger-ui.css">
<link rel="stylesheet" href="/_console/console.css">
</head>
<body>
<header>
  <h1>Wangsu Channels Management gateway</h1>
  <label>Bearer token <input id="token" autocomplete="off" spellcheck="false"
    placeholder="paste a gateway-issued bearer token"></label>
  <span class="note">"Try it out" below sends it as <code>Authorization: Bearer</code>.</span>
</header>
${
    demo
      ? `<section id="console">
  <h2>Live console <span class="note">(demo: the upstream is the embedded simulator)</span></h2>
  <table><thead><tr><th>Channel</th><th>pullId</th><th>State</th><th>Simulated encoder</th></tr></thead>
  <tbody id="channels"><tr><td colspan="4">Loading…</td></tr></tbody></table>
  <p class="note" id="events-status">Connecting to /events…</p>
</section>`
      : ""
  }
<div id="reference"></div>
<script type="application/json" id="console-settings">${inline({ demo, token })}</script>
<script src="/_console/swagger-ui-bundle.js"></script>
<script src="/_console/console.js"></script>
</body>
</html>
`;

/** The page's stylesheet, `/_console/console.css`. */
export const style = `body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #1b1b1b; }
header { padding: 16px 24px; background: #12263a; color: #fff; display: flex; gap: 16px;
  align-items: center; flex-wrap: wrap; }
header h1 { font-size: 18px; margin: 0; }
header input { width: 32em; max-width: 100%; padding: 4px 6px; }
#console { padding: 8px 24px 0; }
#console table { border-collapse: collapse; margin: 8px 0; }
#console td, #console th { border-bottom: 1px solid #ddd; padding: 4px 12px; text-align: left; }
[data-state="live"] { color: #0a7d27; font-weight: 600; }
[data-state="banned"] { color: #b00020; }
.note { color: #5a5a5a; }
`;

/**
 * The page's script, `/_console/console.js`: Swagger UI over `/openapi.json` with the pasted
 * token, and in demo mode the live console, whose encoder buttons send the demo's token.
 */
export const script = `"use strict";
const settings = JSON.parse(document.getElementById("console-settings").textContent);
const tokenInput = document.getElementById("token");
tokenInput.value = settings.token;
const token = () => tokenInput.value.trim();
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#reference",
  deepLinking: true,
  requestInterceptor(request) {
    if (token() && !request.headers.Authorization) {
      request.headers.Authorization = "Bearer " + token();
    }
    return request;
  },
});
if (settings.demo) {
  const STATES = { "1": "live", "2": "idle", "3": "banned" };
  const body = document.getElementById("channels");
  const status = document.getElementById("events-status");
  const call = (path, input) => fetch(path, {
    method: "POST",
    headers: { authorization: "Bearer " + token(), "content-type": "application/json" },
    body: JSON.stringify(input),
  }).then((response) => response.json());
  const setState = (pullId, state) => {
    const cell = document.querySelector('[data-pull-id="' + CSS.escape(pullId) + '"] [data-state]');
    if (!cell) return load();
    cell.dataset.state = state;
    cell.textContent = state;
  };
  const row = (channel) => {
    const tr = document.createElement("tr");
    tr.dataset.pullId = channel.pullId;
    const state = STATES[String(channel.channelStatus)] ?? String(channel.channelStatus);
    for (const text of [channel.channelName, channel.pullId]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    const stateCell = document.createElement("td");
    stateCell.dataset.state = state;
    stateCell.textContent = state;
    const buttons = document.createElement("td");
    for (const event of ["start", "stop"]) {
      const button = document.createElement("button");
      button.textContent = event == "start" ? "Start" : "Stop";
      button.dataset[event] = channel.pullId;
      // The encoder controls need the demo's own token, whatever is pasted above.
      button.onclick = () =>
        fetch("/_console/demo/" + encodeURIComponent(channel.pullId) + "/" + event, {
          method: "POST",
          headers: { authorization: "Bearer " + settings.token },
        });
      buttons.append(button);
    }
    tr.append(stateCell, buttons);
    return tr;
  };
  const empty = () => {
    const tr = document.createElement("tr");
    const td = document.createElement("td");
    td.colSpan = 4;
    td.textContent = "No channels yet.";
    tr.append(td);
    return tr;
  };
  let loading;
  const load = () => loading ??= call("/live/channelManage/getChannelList", { pageSize: 50 })
    .then((envelope) => {
      const channels = envelope.data?.channelList ?? [];
      body.replaceChildren(...(channels.length ? channels.map(row) : [empty()]));
    })
    .finally(() => loading = undefined);
  load();
  const events = new EventSource("/events?access_token=" + encodeURIComponent(token()));
  events.onopen = () => status.textContent = "Live: push events arrive from /events.";
  events.onerror = () => status.textContent = "Disconnected from /events; retrying…";
  const on = (type, state) => events.addEventListener(type, (event) => {
    setState(JSON.parse(event.data).pullId, state);
  });
  on("push.started", "live");
  on("push.stopped", "idle");
  on("channel.banned", "banned");
  on("channel.reopened", "idle");
}
`;
