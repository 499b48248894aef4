import { ExoError } from '@exosphere/common';
import type { FieldError } from './types/common.js';

/**
 * Codes the client itself produces when there is no API error body to report. Their `status`
 * is 0 when no HTTP response arrived. Every other code comes from the server (docs/errors.md).
 */
export const clientErrorCodes = {
  /** The server could not be reached (connection refused, DNS failure, reset). */
  EXO_CLIENT_UNREACHABLE: 'The server could not be reached.',
  /** No response (or no deployment end) within the allowed time. */
  EXO_CLIENT_TIMEOUT: 'The server did not answer, or a deployment did not finish, in time.',
  /** The server answered with something that is not the expected JSON. */
  EXO_CLIENT_BAD_RESPONSE: 'The server answered with an unexpected body.',
} as const;

export type ClientErrorCode = keyof typeof clientErrorCodes;

export interface ClientErrorOptions {
  readonly details?: readonly FieldError[] | undefined;
  readonly data?: Record<string, unknown> | undefined;
  readonly cause?: unknown;
}

/**
 * An API call that failed: the server's stable `code`, its HTTP `status` (0 when none
 * arrived), message and field `details`. It is an ExoError, so code that handles server
 * errors handles these too; match on `code`, not on the message.
 */
export class ClientError extends ExoError {
  constructor(code: string, status: number, message: string, options: ClientErrorOptions = {}) {
    super(code, status, message, {
      ...(options.details ? { details: options.details } : {}),
      ...(options.data ? { data: options.data } : {}),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'ClientError';
  }
}

export function isClientError(error: unknown): error is ClientError {
  return error instanceof ClientError;
}
