import { scryptSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { currentScryptParams, decodeHash, hashPassword, verifyPassword } from '../../api/auth/password.ts';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  const saved = process.env.SHAFAF_SCRYPT_LOG_N;
  afterEach(() => {
    process.env.SHAFAF_SCRYPT_LOG_N = saved;
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const h = await hashPassword('correct horse', FAST);
    expect(await verifyPassword('correct horse', h)).toBe(true);
    expect(await verifyPassword('correct horsf', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('writes scrypt$N$r$p$salt$hash with the production cost, and the hash is plain scrypt', async () => {
    delete process.env.SHAFAF_SCRYPT_LOG_N;
    const h = await hashPassword('s3cret-pass');
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    // Second implementation: node's scrypt called directly on the stored salt must give the stored key.
    const [, , , , salt, key] = h.split('$');
    const expected = scryptSync('s3cret-pass', Buffer.from(salt, 'base64url'), 32, {
      N: 32768,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    expect(Buffer.from(key, 'base64url').equals(expected)).toBe(true);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
  });

  it('salts: two hashes of the same password differ and both verify', async () => {
    const a = await hashPassword('same password', FAST);
    const b = await hashPassword('same password', FAST);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('never matches a malformed or absurdly expensive hash', async () => {
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
    expect(
      await verifyPassword(
        'x',
        'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ),
    ).toBe(false);
    expect(
      decodeHash(`scrypt$${2 ** 24}$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`),
    ).toBeNull();
  });

  it('lowers the cost from SHAFAF_SCRYPT_LOG_N only under a test runner', () => {
    process.env.SHAFAF_SCRYPT_LOG_N = '11';
    expect(currentScryptParams().N).toBe(2048);
    process.env.SHAFAF_SCRYPT_LOG_N = '3';
    expect(() => currentScryptParams()).toThrow(/SHAFAF_SCRYPT_LOG_N/);
  });
});
