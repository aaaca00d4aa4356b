/**
 * `deno task simulator`: serves the simulator on 127.0.0.1 and prints its URL and demo
 * credentials. `--port=N` picks the port (default 8788).
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
Stop with Ctrl+C.`);
