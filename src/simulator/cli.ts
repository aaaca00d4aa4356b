/**
 * `deno task simulator`: serves the simulator on 127.0.0.1 and prints its URL and demo
 * credentials. `--port=N` picks the port (default 8788). The task lets it reach loopback names
 * only (`localhost`, `127.0.0.1`, `[::1]`, any port), so callbacks go to a receiver on this
 * machine and nowhere else: a `notifyUrl` on another host fails with a permission error, recorded
 * on the notification (`GET /_sim/notifications`).
 *
 * @module
 */

import { createSimulator } from "./mod.ts";

const portArgument = Deno.args.find((arg) => arg.startsWith("--port="));
const port = portArgument ? Number(portArgument.slice("--port=".length)) : 8788;
const simulator = createSimulator();
const served = await simulator.serve({ port });
const [demo] = simulator.credentials;

console.log(`Wangsu API simulator on ${served.url}
  access key: ${demo.accessKey}
  secret key: ${demo.secretKey}

Point a client at it:
  WANGSU_ENDPOINT=${served.url} WANGSU_ACCESS_KEY=${demo.accessKey} WANGSU_SECRET_KEY=${demo.secretKey}

Make a channel go live (an encoder starts pushing):
  curl -X POST ${served.url}/_sim/streams/<pullId>/start
See everything it holds:
  curl ${served.url}/_sim/state
Callbacks go to a notifyUrl on localhost, 127.0.0.1 or [::1] only; each attempt is listed at:
  curl ${served.url}/_sim/notifications
Stop with Ctrl+C.`);
