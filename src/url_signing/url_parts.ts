/**
 * A push or play URL taken apart for signing: the part before the query, the path, the query's
 * parameters as sent, and the fragment; and the path that is signed, as the rule's inferred
 * options say.
 *
 * @module
 */

import type { LiveUrlRule } from "./rule.ts";

/** A URL taken apart by {@link urlParts}. */
export interface UrlParts {
  /** Everything before the query: scheme, authority and path, as the URL parser writes them. */
  base: string;
  /** The path, with its leading `/`, percent-encoded as sent. */
  path: string;
  /** The query's `name=value` parts as sent, in order, empty ones dropped. */
  query: string[];
  /** The fragment with its `#`, or `""`. */
  hash: string;
}

/** A query part's name or value, decoded as a form would be; `undefined` when badly encoded. */
export const decodeQueryText = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return undefined;
  }
};

/** The decoded name of a `name=value` query part. */
export const queryNameOf = (part: string): string | undefined => {
  const at = part.indexOf("=");
  return decodeQueryText(at < 0 ? part : part.slice(0, at));
};

/**
 * Takes a URL apart; `undefined` when it is not an absolute URL with a path (an SRT URL, whose
 * stream is in its query, has none).
 */
export function urlParts(url: string | URL): UrlParts | undefined {
  let parsed: URL;
  try {
    parsed = typeof url == "string" ? new URL(url) : new URL(url.href);
  } catch {
    return undefined;
  }
  if (!parsed.host || !parsed.pathname.startsWith("/")) return undefined;
  const href = parsed.href;
  const hashAt = href.indexOf("#"); // in a serialized URL, only the fragment's
  const withoutHash = hashAt < 0 ? href : href.slice(0, hashAt);
  const queryAt = withoutHash.indexOf("?");
  return {
    base: queryAt < 0 ? withoutHash : withoutHash.slice(0, queryAt),
    path: parsed.pathname,
    query: queryAt < 0 ? [] : withoutHash.slice(queryAt + 1).split("&").filter(Boolean),
    hash: parsed.hash,
  };
}

/**
 * The query parts other than the rule's signature and time parameters: kept in a signed URL, and
 * signed after the path under `pathQuery: "include"`.
 */
export const otherQuery = (parts: UrlParts, rule: LiveUrlRule): string[] =>
  parts.query.filter((part) => {
    const name = queryNameOf(part);
    return name != rule.cipherParam && name != rule.timeParam;
  });

/**
 * The path that is signed: the URL's path, changed only as the rule's inferred options say
 * (decoded, extension stripped, leading `/` dropped, other query parameters added, in that
 * order). `undefined` when `decoded` is asked for and the path is not valid percent-encoded UTF-8.
 */
export function signedPath(parts: UrlParts, rule: LiveUrlRule): string | undefined {
  const { pathEncoding, pathExtension, pathLeadingSlash, pathQuery } = rule.inferred;
  let path = parts.path;
  if (pathEncoding == "decoded") {
    try {
      path = decodeURIComponent(path);
    } catch {
      return undefined;
    }
  }
  if (pathExtension == "strip") path = path.replace(/\.[A-Za-z0-9]+$/, "");
  if (!pathLeadingSlash) path = path.slice(1);
  if (pathQuery == "include") {
    const others = otherQuery(parts, rule);
    if (others.length) path += `?${others.join("&")}`;
  }
  return path;
}
