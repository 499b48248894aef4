import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';

/**
 * Where a shared secret the gateway must hold in clear (an HMAC key for HS256/384/512 tokens)
 * comes from: inline in the configuration, or by reference — an environment variable of the
 * gateway process or a file — so that the configuration document, and what the admin API's
 * GET /config returns, never holds it. References are read each time a configuration is
 * applied, so a rotated file takes effect with the next reload.
 */
export const secretEnvSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name');

export const secretFileSchema = z
  .string()
  .min(1)
  .refine((path) => isAbsolute(path), { message: 'an absolute path' });

export type SecretSource =
  { readonly secret: string } | { readonly secretEnv: string } | { readonly secretFile: string };

/** Files larger than this are not secrets: refused rather than read. */
const secretFileBytesMax = 64 * 1024;

/** The secret's value, or why it cannot be had (for a validation error at the entry's path). */
export function resolveSecret(source: SecretSource): { secret: string } | { error: string } {
  if ('secret' in source) return { secret: source.secret };
  if ('secretEnv' in source) {
    const value = process.env[source.secretEnv];
    if (value === undefined || value === '')
      return { error: `the environment variable ${source.secretEnv} is not set` };
    return { secret: value };
  }
  let text: string;
  try {
    const bytes = readFileSync(source.secretFile);
    if (bytes.length > secretFileBytesMax)
      return { error: `${source.secretFile} is larger than ${secretFileBytesMax} bytes` };
    text = bytes.toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    return { error: `${source.secretFile} cannot be read (${code})` };
  }
  // One trailing newline is what editors and `echo` leave; it is not part of the secret.
  return { secret: text.endsWith('\r\n') ? text.slice(0, -2) : text.replace(/\n$/, '') };
}
