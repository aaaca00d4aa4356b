/**
 * The rule a signed-header list must follow (internal), shared by the signer, the verifier and
 * the client's options without bringing the signing code along.
 *
 * @module
 */

// 1 to 64 header names (HTTP tokens: no space, comma, colon or non-ASCII), each followed by a
// single `;` but the last, in at most 1,024 characters.
const LIST = /^(?=.{1,1024}$)[\w!#$%&'*+.^`|~-]+(?:;[\w!#$%&'*+.^`|~-]+){0,63}$/;

/**
 * What a signed-header list must be, when it is not.
 *
 * @param list The list as given (`;`-separated header names).
 * @returns The rule, to follow the field's name in a message; `undefined` when the list is usable.
 */
export const signedHeadersRule = (list: unknown): string | undefined =>
  typeof list == "string" && LIST.test(list)
    ? undefined
    : "must be 1 to 64 header names joined by ;";
