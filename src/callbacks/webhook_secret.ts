/**
 * The rule of a webhook secret, in one place for the signer and verifier and for the gateway's
 * endpoint check: `whsec_` + the base64 of 24 to 64 bytes. Internal (not re-exported by
 * `@wangsu/sdk/callbacks`); kept apart from `webhooks.ts` so that checking the gateway's
 * configuration loads no more than this.
 *
 * @module
 */

const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/**
 * The bytes of a base64 text, or `undefined` (the decoder's message, which may quote it, is
 * dropped).
 *
 * @param text Base64.
 * @returns The bytes, or `undefined` when `text` is not base64.
 */
export const fromBase64 = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
};

/**
 * The key bytes of a webhook secret, or `undefined` when it is not `whsec_` + the base64 of 24
 * to 64 bytes (or not a string).
 *
 * @param value The secret as given.
 * @returns Its bytes, or `undefined`.
 */
export const secretBytes = (value: unknown): Uint8Array<ArrayBuffer> | undefined => {
  const encoded = typeof value == "string" ? SECRET.exec(value)?.[1] : undefined;
  const raw = encoded === undefined ? undefined : fromBase64(encoded);
  return raw && raw.length >= 24 && raw.length <= 64 ? raw : undefined;
};
