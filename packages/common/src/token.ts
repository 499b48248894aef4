import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';

export interface ClusterToken {
  token: string;
  /** True when this call generated the token (it should be printed once). */
  created: boolean;
  path: string;
}

/**
 * Returns the cluster token stored in HOME/token, generating it at first start. The file is
 * created with mode 0600 and never rewritten, so every process sharing the home agrees.
 */
export async function ensureToken(home: string): Promise<ClusterToken> {
  const path = join(home, 'token');
  await mkdir(home, { recursive: true });
  try {
    const token = (await readFile(path, 'utf8')).trim();
    if (token.length >= 32) return { token, created: false, path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // A fixed prefix: a base64url token may start with '-', which `--token <T>` reads as an option.
  const token = `exo_${randomBytes(32).toString('base64url')}`;
  try {
    await writeFile(path, token + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process sharing the home won the race: use its token.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return { token: (await readFile(path, 'utf8')).trim(), created: false, path };
    throw error;
  }
  await chmod(path, 0o600);
  return { token, created: true, path };
}

/** Compares tokens in constant time (hashing first so lengths never leak). */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
