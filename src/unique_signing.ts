/**
 * Keeps every signed request distinct. The service rejects an identical signed request sent
 * again within its 5-minute window, and two identical calls in the same second would sign
 * identically. So a request already signed for this second gets trailing JSON whitespace in its
 * body (the n-th repeat spells n in base 3 over space, tab and newline: distinct for every n, and
 * only about log3(n) characters long, so a thousand repeats in one second add at most 7 bytes; the
 * meaning is unchanged, the signed bytes are not), and a request with no JSON body to vary moves
 * to the next free second. A retry always moves to a later second.
 *
 * @module
 */

/** Signatures made recently, by timestamp and request. */
export type SigningMemory = Map<string, { timestamp: number; uses: number }>;

const WINDOW_SECONDS = 300;
const CAPACITY = 4096;

/**
 * Chooses the timestamp and the exact body for one attempt and records the choice.
 *
 * @param memory The client's memory of recent signatures; none for a request that signs a value
 *   unique to it (the gateway's request id), which needs only its timestamp.
 * @param nowSeconds The client's clock, Unix seconds.
 * @param request Method, URL and body; `json` says whether the body may take trailing spaces.
 * @param minTimestamp The earliest timestamp allowed (a retry's: the previous attempt's + 1).
 * @returns The timestamp and body to sign and send.
 */
export function planSignature(
  memory: SigningMemory | undefined,
  nowSeconds: number,
  request: { method: string; url: string; body: string; json: boolean },
  minTimestamp = 0,
): { timestamp: number; body: string } {
  const { method, url, json } = request;
  let { body } = request;
  let timestamp = Math.max(nowSeconds, minTimestamp);
  if (memory) {
    for (const [key, entry] of memory) {
      if (entry.timestamp >= nowSeconds - WINDOW_SECONDS && memory.size <= CAPACITY) break;
      memory.delete(key);
    }
    let key = "";
    while (memory.has(key = `${timestamp} ${method} ${url}\n${body}`) && !json) timestamp++;
    const entry = memory.get(key);
    // The n-th repeat: n in base 3, digits spelt as space, tab and newline (never a leading space).
    if (entry) body += (entry.uses++).toString(3).replace(/./g, (d) => " \t\n"[+d]);
    else memory.set(key, { timestamp, uses: 1 });
  }
  return { timestamp, body };
}
