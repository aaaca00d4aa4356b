/**
 * The markup of the page at `/` (see `console.ts`), kept apart so that a gateway loads it with
 * the first request for the page, not at start-up.
 *
 * @module
 */

/** JSON for a `<script>`: `<` escaped so that no value can close the element. */
const inline = (value: unknown) => JSON.stringify(value).replaceAll("<", "\\u003c");

/**
 * The page's HTML.
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
<style>
  body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #1b1b1b; }
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
</style>
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
<script src="/_console/swagger-ui-bundle.js"></script>
<script>
const demo = ${inline(demo)};
const tokenInput = document.getElementById("token");
tokenInput.value = ${inline(token)};
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
if (demo) {
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
      button.onclick = () =>
        fetch("/_console/demo/" + encodeURIComponent(channel.pullId) + "/" + event, {
          method: "POST",
        });
      buttons.append(button);
    }
    tr.append(stateCell, buttons);
    return tr;
  };
  let loading;
  const load = () => loading ??= call("/live/channelManage/getChannelList", { pageSize: 50 })
    .then((envelope) => {
      const channels = envelope.data?.channelList ?? [];
      body.replaceChildren(...channels.map(row));
      if (!channels.length) body.innerHTML = '<tr><td colspan="4">No channels yet.</td></tr>';
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
</script>
</body>
</html>
`;
