/**
 * The floor of a signature on Web Crypto: what a CNC-HMAC-SHA256 signer cannot avoid, two SHA-256
 * digests and one HMAC with a key imported once, over bytes encoded beforehand. Sections "signer vs
 * floor" and "client overhead" each measure it in their own rounds, beside what they compare it to.
 */

const encoder = new TextEncoder();

/**
 * Makes the floor for one request: `path` and `body` as the request would carry them.
 *
 * @returns One floor signature per call.
 */
export async function webCryptoFloor(
  secretKey: string,
  path: string,
  body: string,
): Promise<() => Promise<void>> {
  const subtle = crypto.subtle;
  const key = await subtle.importKey(
    "raw",
    encoder.encode(secretKey),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const bodyBytes = encoder.encode(body);
  const canonical = encoder.encode(`POST\n${path}\n\n...${"h".repeat(64)}`);
  const toSign = encoder.encode(`CNC-HMAC-SHA256\n1764000000\n${"h".repeat(64)}`);
  return async () => {
    await subtle.digest("SHA-256", bodyBytes);
    await subtle.digest("SHA-256", canonical);
    await subtle.sign("HMAC", key, toSign);
  };
}
