// A webhook receiver for the queue tests: a real server on 127.0.0.1 that verifies each delivery
// with the standardwebhooks package (refusing what is not authentic), records its webhook-id under
// the endpoint's name (the path), and answers from that endpoint's scripted statuses in turn.
import { Webhook } from "standardwebhooks";

/** A running receiver. */
export interface WebhookReceiver {
  /** Its base URL; an endpoint named `ops` is `${base}/ops`. */
  base: string;
  /** The webhook-id of each authentic delivery, by endpoint name, in order. */
  received: Record<string, string[]>;
  /** The statuses each endpoint answers in turn (the last one repeats); mutable while it runs. */
  answers: Record<string, number[]>;
  /** Stops the server. */
  shutdown(): Promise<void>;
}

/**
 * Starts a receiver whose endpoints are the names in `answers`.
 *
 * @param secret The endpoints' signing secret.
 * @param answers Each endpoint's statuses: the nth delivery gets the nth (or the last) one.
 * @returns The running receiver.
 */
export function webhookReceiver(
  secret: string,
  answers: Record<string, number[]>,
): WebhookReceiver {
  const received: Record<string, string[]> = Object.fromEntries(
    Object.keys(answers).map((name) => [name, []]),
  );
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const name = new URL(request.url).pathname.slice(1);
      const body = await request.text();
      new Webhook(secret).verify(body, Object.fromEntries(request.headers)); // throws unless authentic
      received[name].push(request.headers.get("webhook-id")!);
      const list = answers[name];
      return new Response(null, {
        status: list[Math.min(received[name].length - 1, list.length - 1)],
      });
    },
  );
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    received,
    answers,
    shutdown: () => server.shutdown(),
  };
}
