import type { RequestContext } from '@exosphere/common';
import { parseConfigText } from '../config/text.js';
import { ApimErrors } from './errors.js';

/** An OpenAPI document is at most this large; the biggest public ones are a few MiB. */
export const documentBytesMax = 5 * 1024 * 1024;

/**
 * Reads a request body that is an OpenAPI document in JSON or YAML (JSON when it starts with
 * "{", which is what JSON bodies do; YAML 1.2 otherwise), bounded by `documentBytesMax`.
 */
export async function readDocumentBody(context: RequestContext): Promise<Record<string, unknown>> {
  const request = context.request;
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > documentBytesMax) {
    request.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > documentBytesMax) {
      request.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return parseDocumentText(Buffer.concat(chunks).toString('utf8'));
}

/** Parses JSON or YAML text into an object, or a 422 with the parser's message at "/". */
export async function parseDocumentText(text: string): Promise<Record<string, unknown>> {
  const parsed = await parseConfigText(text);
  if (!parsed.ok)
    throw ApimErrors.create(
      'EXO_GATEWAY_OPENAPI_INVALID',
      'the OpenAPI document cannot be parsed',
      {
        details: parsed.errors,
      },
    );
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw ApimErrors.create(
      'EXO_GATEWAY_OPENAPI_INVALID',
      'the OpenAPI document is not an object',
      {
        details: [{ path: '/', errors: ['an object'] }],
      },
    );
  return value as Record<string, unknown>;
}

function tooLarge(): Error {
  return ApimErrors.create(
    'EXO_GATEWAY_OPENAPI_INVALID',
    `the document is larger than ${documentBytesMax} bytes`,
    {
      details: [{ path: '/', errors: [`at most ${documentBytesMax} bytes`] }],
    },
  );
}
