/**
 * A minimal upstream on 127.0.0.1 for the workerd benchmarks: every request gets the same
 * successful envelope, so that only the workers in front of it differ.
 */
export function serveStubUpstream(): { url: string; shutdown(): Promise<void> } {
  const envelope = JSON.stringify({
    code: 200,
    message: "success",
    data: { channelList: [], channelToal: 0 },
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (r) => {
    await r.arrayBuffer();
    return new Response(envelope, {
      headers: { "content-type": "application/json", "x-cnc-request-id": "u" },
    });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, shutdown: () => server.shutdown() };
}
