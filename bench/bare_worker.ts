/** The reference for the gateway benchmark: a worker that only forwards to the same upstream. */
export default {
  fetch(request: Request, env: { UPSTREAM: string }): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname == "/healthz") return Promise.resolve(new Response("ok"));
    return fetch(env.UPSTREAM + pathname, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
  },
};
