import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VirtualClock } from '@exosphere/common';
import { jwtPolicyType } from '../../src/policies/security/jwt.js';
import {
  configurationErrors,
  configure,
  policyContext,
  policyRequest,
  signToken,
} from './helpers.js';

const clock = new VirtualClock(Date.UTC(2026, 2, 1));
const nowSeconds = Math.floor(clock.now() / 1000);
const claims = { iss: 'https://issuer.example', sub: 'user-7', exp: nowSeconds + 300 };
const trusted = { issuers: ['https://issuer.example'] };

function bearer(secret: string) {
  const token = signToken({ algorithm: 'HS256', key: secret, payload: claims });
  return policyRequest({ headers: { authorization: `Bearer ${token}` } });
}

describe('jwt: HMAC secrets by reference (secretEnv, secretFile)', () => {
  // A variable name of this test file's own, so parallel test files never share it.
  const variable = `EXO_TEST_JWT_SECRET_${randomBytes(4).toString('hex').toUpperCase()}`;
  const secret = randomBytes(48).toString('base64url');
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'exo-jwt-secret-'));
    process.env[variable] = secret;
  });

  after(async () => {
    delete process.env[variable];
    await rm(folder, { recursive: true, force: true });
  });

  test('a secret from the environment verifies, and the configuration never holds it', async () => {
    const raw = { ...trusted, keys: [{ secretEnv: variable }] };
    const policy = configure(jwtPolicyType, raw, policyContext(clock));
    assert.equal(await policy.onRequest(bearer(secret)), undefined);
    assert.equal((await policy.onRequest(bearer(`${secret}-other`)))?.status, 401);
    // What GET /config returns is the parsed configuration.
    assert.ok(!JSON.stringify(jwtPolicyType.schema.parse(raw)).includes(secret));
  });

  test('a secret from a file verifies, without its trailing newline', async () => {
    const path = join(folder, 'jwt-secret');
    await writeFile(path, `${secret}\n`, { mode: 0o600 });
    const policy = configure(
      jwtPolicyType,
      { ...trusted, keys: [{ secretFile: path }] },
      {
        ...policyContext(clock),
      },
    );
    assert.equal(await policy.onRequest(bearer(secret)), undefined);
    assert.equal((await policy.onRequest(bearer(`${secret}\n`)))?.status, 401);
  });

  test('a reference that cannot be resolved rejects the configuration at its path', async () => {
    const errors = (key: object): string[] =>
      configurationErrors(jwtPolicyType, { ...trusted, keys: [key] });
    assert.match(errors({ secretEnv: `${variable}_UNSET` }).join('\n'), /keys\.0: .*is not set/);
    assert.match(
      errors({ secretFile: join(folder, 'missing') }).join('\n'),
      /keys\.0: .*cannot be read \(ENOENT\)/,
    );
    assert.match(errors({ secretFile: 'relative/secret' }).join('\n'), /an absolute path/);
    assert.match(errors({ secretEnv: 'NOT-A-NAME' }).join('\n'), /an environment variable name/);
    const short = join(folder, 'short');
    await writeFile(short, 'too-short\n');
    assert.match(errors({ secretFile: short }).join('\n'), /at least 32 bytes/);
  });
});
