/**
 * The consumer id: which identity provider vouched for the caller, and the claim value it
 * gave. The same `client_id` at two providers is two consumers.
 */

/** Characters encodeURIComponent leaves alone that RFC 3986 does not count as unreserved. */
const SUB_DELIMS_LEFT = /[!'()*]/g;

function percentEncodeOctet(character: string): string {
  return `%${character.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * `<provider id>/<claim value>` with the claim value's UTF-8 octets percent-encoded except the
 * RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`). Provider ids cannot contain `/` (the
 * config schema's pattern), so the first `/` separates the two parts and the mapping is
 * injective; the result is visible ASCII, safe in a header and a log line. Undefined when the
 * claim is not well-formed Unicode (a lone surrogate has no UTF-8 form).
 */
export function qualifiedConsumerId(providerId: string, claimValue: string): string | undefined {
  let encoded: string;
  try {
    encoded = encodeURIComponent(claimValue);
  } catch {
    return undefined;
  }
  return `${providerId}/${encoded.replace(SUB_DELIMS_LEFT, percentEncodeOctet)}`;
}
