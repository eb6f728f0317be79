/**
 * Password hashing with scrypt (memory-hard: each guess costs 128·N·r bytes of RAM, 32 MiB at the
 * defaults, which is what makes GPU/ASIC guessing expensive). Encoded as `scrypt$N$r$p$salt$hash`
 * (salt and hash in base64url) so the cost can be raised later without invalidating stored hashes:
 * verification always uses the parameters written in the hash itself.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse stored hashes that would take more than this to check (a tampered row must not stall the server). */
const MAX_N = 2 ** 20;
const MIN_TEST_LOG_N = 10;

/**
 * The cost used for new hashes. `SHAFAF_SCRYPT_LOG_N` lowers it, but only under a test runner
 * (NODE_ENV=test or VITEST set), so that a stray variable cannot weaken production hashes.
 */
export function currentScryptParams(): ScryptParams {
  const raw = process.env.SHAFAF_SCRYPT_LOG_N;
  const underTest = process.env.NODE_ENV === 'test' || process.env.VITEST !== undefined;
  if (!raw || !underTest) return DEFAULT_SCRYPT;
  const logN = Number(raw);
  if (!Number.isInteger(logN) || logN < MIN_TEST_LOG_N || logN > 15) {
    throw new Error(`SHAFAF_SCRYPT_LOG_N must be a whole number from ${MIN_TEST_LOG_N} to 15, got ${raw}`);
  }
  return { ...DEFAULT_SCRYPT, N: 2 ** logN };
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // Node's default maxmem (32 MiB) is exactly 128·N·r at N=2^15, r=8, which OpenSSL rejects.
  const opts: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, opts, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(
  password: string,
  params: ScryptParams = currentScryptParams(),
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

interface Decoded {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

export function decodeHash(encoded: string): Decoded | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const isPow2 = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (
    !isPow2 ||
    N > MAX_N ||
    !Number.isInteger(r) ||
    r < 1 ||
    r > 32 ||
    !Number.isInteger(p) ||
    p < 1 ||
    p > 16
  )
    return null;
  const salt = Buffer.from(parts[4], 'base64url');
  const key = Buffer.from(parts[5], 'base64url');
  if (salt.length < 8 || key.length < 16) return null;
  return { params: { N, r, p }, salt, key };
}

/** Constant-time check of `password` against an encoded hash; a malformed hash never matches. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const d = decodeHash(encoded);
  if (!d) return false;
  const key = await derive(password, d.salt, d.params);
  return key.length === d.key.length && timingSafeEqual(key, d.key);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same scrypt work as a real check and always fails: used for unknown or disabled users
 * so that response time does not reveal which usernames exist.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummy);
  return false;
}
