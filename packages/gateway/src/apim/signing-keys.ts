import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '@exosphere/common';
import type { VerificationKey } from '../policies/security/jose/algorithms.js';
import {
  SigningKeyRing,
  type SigningAlgorithm,
  type SigningKey,
} from '../policies/security/oauth2/signing-key-ring.js';
import { readFileIfPresent, writeFileDurably } from './durable-file.js';

const keyFileSchema = z.strictObject({
  keys: z
    .array(
      z.strictObject({
        kid: z.string(),
        pem: z.string(),
        createdAt: z.number(),
        /** When it stopped signing; absent for the signing key. */
        retiredAt: z.number().optional(),
      }),
    )
    .max(100),
});
type KeyFile = z.output<typeof keyFileSchema>;

/**
 * The token endpoint's signing keys, kept in HOME/apim/signing-keys.json (mode 0600, PKCS#8
 * PEM). A rotation makes a new key sign; the old one stays published in the JWKS, and accepted
 * by the gateway, until every token it signed has expired (`retiredKeyPublishMs` = token
 * lifetime + clock skew), then it is dropped from the file.
 */
export class PersistentSigningKeys {
  private ring: SigningKeyRing;
  private file: KeyFile;
  /** After a rotation is durable, before it is acknowledged: the other workers re-read it. */
  afterRotate: (() => Promise<void>) | undefined = undefined;
  private readonly verificationKeys = new Map<string, VerificationKey>();

  private constructor(
    private readonly options: {
      path: string;
      clock: Clock;
      algorithm: SigningAlgorithm;
      retiredKeyPublishMs: number;
    },
    file: KeyFile,
  ) {
    this.file = file;
    this.ring = this.buildRing();
  }

  static async open(options: {
    path: string;
    clock: Clock;
    algorithm: SigningAlgorithm;
    retiredKeyPublishMs: number;
  }): Promise<PersistentSigningKeys> {
    const text = await readFileIfPresent(options.path);
    const file = text === undefined ? { keys: [] } : keyFileSchema.parse(JSON.parse(text));
    const nowMs = options.clock.now();
    file.keys = file.keys.filter(
      (key) => key.retiredAt === undefined || key.retiredAt + options.retiredKeyPublishMs > nowMs,
    );
    const keys = new PersistentSigningKeys(options, file);
    if (file.keys.length === 0 || text === undefined) {
      keys.file = { keys: [keys.record(keys.ring.current, nowMs)] };
      await keys.save();
    }
    return keys;
  }

  get keyRing(): SigningKeyRing {
    return this.ring;
  }

  /** A new signing key; the previous one stays published until its tokens expired. */
  async rotate(): Promise<{ kid: string; retiredKid: string }> {
    const nowMs = this.options.clock.now();
    const previous = this.ring.current;
    const next = this.ring.rotate();
    this.file = {
      keys: [
        ...this.file.keys
          .filter(
            (key) =>
              key.retiredAt === undefined ||
              key.retiredAt + this.options.retiredKeyPublishMs > nowMs,
          )
          .map((key) => (key.kid === previous.kid ? { ...key, retiredAt: nowMs } : key)),
        this.record(next, nowMs),
      ],
    };
    await this.save();
    await this.afterRotate?.();
    return { kid: next.kid, retiredKid: previous.kid };
  }

  /** Re-reads the file after another worker of this gateway rotated the keys. */
  async reload(): Promise<void> {
    const text = await readFileIfPresent(this.options.path);
    if (text === undefined) return;
    this.file = keyFileSchema.parse(JSON.parse(text));
    this.ring = this.buildRing();
    this.verificationKeys.clear();
  }

  /** The key that may verify a token naming `kid`: a key the JWKS publishes now. */
  verificationKey(kid: string): VerificationKey | undefined {
    const published = this.ring.publicKeySet().keys.some((jwk) => jwk.kid === kid);
    if (!published) return undefined;
    let key = this.verificationKeys.get(kid);
    if (key === undefined) {
      const signing = this.findPrivate(kid);
      if (signing === undefined) return undefined;
      key = {
        kind: 'public',
        kid,
        algorithm: undefined,
        key: createPublicKey(signing),
      };
      this.verificationKeys.set(kid, key);
    }
    return key;
  }

  private findPrivate(kid: string): string | undefined {
    return this.file.keys.find((key) => key.kid === kid)?.pem;
  }

  private buildRing(): SigningKeyRing {
    const ordered = [...this.file.keys].sort(
      (a, b) =>
        (a.retiredAt === undefined ? 1 : 0) - (b.retiredAt === undefined ? 1 : 0) ||
        a.createdAt - b.createdAt,
    );
    return new SigningKeyRing({
      clock: this.options.clock,
      algorithm: this.options.algorithm,
      retiredKeyPublishMs: this.options.retiredKeyPublishMs,
      privateKeys: ordered.map((key) => key.pem),
    });
  }

  private record(key: SigningKey, nowMs: number): KeyFile['keys'][number] {
    const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    return { kid: key.kid, pem, createdAt: nowMs };
  }

  private save(): Promise<void> {
    return writeFileDurably(this.options.path, JSON.stringify(this.file), { mode: 0o600 });
  }
}
