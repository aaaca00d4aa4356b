/**
 * Serves a fetch handler on a local port, under Deno (`Deno.serve`) or Node (`node:http`, loaded
 * only when used). A handler may answer `"drop"`: the connection then breaks before a body
 * arrives, as a dropped connection would.
 *
 * @module
 */

/** A server on a port. */
export interface ServedSimulator {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  /** Stops serving. */
  close(): Promise<void>;
}

/** A handler that may ask for the connection to be dropped. */
export type DroppingHandler = (request: Request) => Promise<Response | "drop">;

interface DenoServe {
  serve(
    options: { port: number; hostname: string; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): { shutdown(): Promise<void> };
}

interface NodeHttp {
  createServer(
    listener: (request: NodeRequest, response: NodeResponse) => void,
  ): NodeServer;
}
interface NodeRequest extends AsyncIterable<Uint8Array<ArrayBuffer>> {
  url?: string;
  method?: string;
  headers: Record<string, string | string[] | undefined>;
}
interface NodeResponse {
  writeHead(status: number, headers: Record<string, string>): void;
  end(body?: Uint8Array): void;
  socket: { destroy(): void } | null;
}
interface NodeServer {
  listen(port: number, hostname: string, callback: () => void): void;
  address(): { port: number } | string | null;
  close(callback: () => void): void;
  closeAllConnections?(): void;
}

const urlOf = (hostname: string, port: number) =>
  `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;

/**
 * Serves `handler` on `hostname:port` (port 0 picks a free one).
 *
 * @param handler Answers each request, or asks for a drop.
 * @param options Port and host.
 * @returns The URL and a way to stop.
 */
export async function serveHandler(
  handler: DroppingHandler,
  { port, hostname }: { port: number; hostname: string },
): Promise<ServedSimulator> {
  const deno = (globalThis as { Deno?: DenoServe }).Deno;
  if (deno) {
    return await new Promise((resolve) => {
      const server = deno.serve({
        port,
        hostname,
        onListen: (address) =>
          resolve({ url: urlOf(hostname, address.port), close: () => server.shutdown() }),
      }, async (request) => {
        // A copy without the server's signal: the handler never needs it.
        const answer = await handler(
          new Request(request.url, {
            method: request.method,
            headers: request.headers,
            body: request.method == "GET" || request.method == "HEAD"
              ? undefined
              : await request.arrayBuffer(),
          }),
        );
        if (answer != "drop") return answer;
        // Headers promise a body that never comes: the connection closes under the caller.
        return new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode("{"));
              controller.close();
            },
          }),
          { headers: { "content-length": "4096" } },
        );
      });
    });
  }
  const specifier = "node:http";
  const http: NodeHttp = await import(specifier);
  const server = http.createServer(async (incoming, outgoing) => {
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    for await (const chunk of incoming) chunks.push(chunk);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const method = incoming.method ?? "GET";
    const answer = await handler(
      new Request(`http://${headers.get("host") ?? hostname}${incoming.url ?? "/"}`, {
        method,
        headers,
        body: method == "GET" || method == "HEAD" ? undefined : new Blob(chunks),
      }),
    );
    if (answer == "drop") return outgoing.socket?.destroy();
    outgoing.writeHead(answer.status, Object.fromEntries(answer.headers));
    outgoing.end(new Uint8Array(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  const address = server.address();
  return {
    url: urlOf(hostname, typeof address == "object" && address ? address.port : port),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
