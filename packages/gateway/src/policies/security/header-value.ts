import type { IncomingHttpHeaders } from 'node:http';

/**
 * One header's value, or undefined when it is absent or sent more than once: a credential
 * header that appears twice is ambiguous, and guessing which copy counts is how request
 * smuggling between a gateway and its upstream starts.
 */
export function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  // Names are usually given in lower case already: no new string then.
  const value = headers[isLowerCase(name) ? name : name.toLowerCase()];
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value;
}

function isLowerCase(name: string): boolean {
  for (let index = 0; index < name.length; index++) {
    const code = name.charCodeAt(index);
    if (code >= 65 && code <= 90) return false;
  }
  return true;
}
