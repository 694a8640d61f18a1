// URLs that reach an href, a src or a header. Product data comes from the store mirror and is
// untrusted (anything a merchant, a supplier or an importer wrote), so only http(s) survives: no
// javascript:, data:, vbscript: or protocol-relative tricks, no credentials ("https://shop@evil").

const UNSAFE_CHARS = /[\s\u0000-\u001f\u007f<>"'`\\]/; // eslint-disable-line no-control-regex
const MAX_URL_LENGTH = 2_048;

function parse(value: string): URL | null {
  if (value.length === 0 || value.length > MAX_URL_LENGTH || UNSAFE_CHARS.test(value)) return null;
  // A scheme must be spelled out; URL would resolve nothing relative without a base anyway.
  if (!/^https?:\/\//i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username || url.password || !url.hostname) return null;
  return url;
}

function isLocalHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]";
}

/** A link a reader may follow: https, or http (some shops still serve it). */
export function isSafeLinkUrl(value: string): boolean {
  return parse(value) !== null;
}

/** An image source: https only (webmail proxies and mixed-content rules), http on localhost for the demo. */
export function isSafeImageUrl(value: string): boolean {
  const url = parse(value);
  return url !== null && (url.protocol === "https:" || isLocalHost(url.hostname));
}

/** RFC 8058 requires HTTPS for one-click unsubscribe; http is allowed on localhost for the demo sink. */
export function isSafeUnsubscribeUrl(value: string): boolean {
  return isSafeImageUrl(value);
}
