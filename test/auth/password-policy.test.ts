import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMMON_PASSWORDS_PATH,
  checkNewPassword,
  commonPasswords,
  generatePassword,
  isCommonPassword,
} from '../../api/auth/password-policy.ts';
import { Db } from '../../api/db.ts';

describe('password policy', () => {
  it('ships a list of a few thousand common passwords, each long enough to pass the length rule', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThan(3000);
    expect(list.size).toBeLessThan(5000);
    for (const p of list) expect(p.length).toBeGreaterThanOrEqual(8);
    // The header says where the list comes from and carries its licence.
    const text = readFileSync(COMMON_PASSWORDS_PATH, 'utf8');
    expect(text).toMatch(/@zxcvbn-ts\/language-common/);
    expect(text).toMatch(/Permission is hereby granted/);
  });

  it('knows the passwords every cracking list starts with, whatever their case', () => {
    for (const p of ['password', 'password1', '12345678', 'qwertyuiop', 'iloveyou', 'sunshine', 'PassWord1'])
      expect(isCommonPassword(p), p).toBe(true);
    for (const p of ['tehran-council-1403', 'x7#Lm2q!pz']) expect(isCommonPassword(p), p).toBe(false);
  });

  it('refuses short, common, username and (on real data) demo passwords with a reason', async () => {
    const db = await Db.open(':memory:', { threads: 1 });
    try {
      const check = (p: string, demo?: boolean) => checkNewPassword(db, 'rezaei', p, demo);
      await expect(check('abc12')).rejects.toThrow(/at least 8/);
      await expect(check('baseball')).rejects.toThrow(/most common/);
      await expect(checkNewPassword(db, 'mohammadi', 'Mohammadi')).rejects.toThrow(/not be the username/);
      // An empty database is not the demo: demo passwords are refused.
      await expect(check('admin-demo')).rejects.toThrow(/Demo passwords/);
      await expect(check('my-own-demo')).rejects.toThrow(/Demo passwords/);
      await expect(check('admin-demo', true)).resolves.toBe('admin-demo');
      await expect(check('a-long-passphrase')).resolves.toBe('a-long-passphrase');
    } finally {
      db.close();
    }
  });

  it('generates one-time passwords that pass the policy and do not repeat', async () => {
    const db = await Db.open(':memory:', { threads: 1 });
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const p = generatePassword();
        expect(p).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
        seen.add(p);
      }
      expect(seen.size).toBe(200);
      await expect(checkNewPassword(db, 'x', generatePassword())).resolves.toBeDefined();
    } finally {
      db.close();
    }
  });
});
