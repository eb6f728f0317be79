/**
 * What a new password must be, wherever one is chosen (the Users page, a user's own change, the
 * CLI): at least MIN_PASSWORD_LENGTH characters, not one of the most common passwords
 * (data/common-passwords.txt, whose header says where the list comes from), not the user's name,
 * and on a database with real data not a demo password (the demo ones are printed in the README).
 * Also: the one-time passwords the Users page hands out.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db.ts';
import { DEMO_USERS, isDemoDatabase } from './demo-users.ts';
import { checkPassword, UserError } from './users.ts';

export const COMMON_PASSWORDS_PATH = fileURLToPath(
  new URL('../../data/common-passwords.txt', import.meta.url),
);

let common: Set<string> | undefined;

/** The list, lower-cased; read once. */
export function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(COMMON_PASSWORDS_PATH, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.length > 0 && !l.startsWith('#'))
      .map((l) => l.toLowerCase()),
  );
  return common;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.normalize('NFC').toLowerCase());
}

/** A demo account's password, or anything shaped like one (`…-demo`). */
export function isDemoPassword(password: string): boolean {
  const p = password.trim().toLowerCase();
  return p.endsWith('-demo') || DEMO_USERS.some((u) => u.password === p);
}

/**
 * Throws a UserError (a message for a person) when `password` may not be used for `username`.
 * `demo`: whether the database holds the demo city; looked up when not given.
 */
export async function checkNewPassword(
  db: Db,
  username: string,
  password: string,
  demo?: boolean,
): Promise<string> {
  checkPassword(password);
  if (isCommonPassword(password))
    throw new UserError(
      'This password is one of the most common ones, which are tried first: choose another.',
      'password',
    );
  if (password.trim().toLowerCase() === username.toLowerCase())
    throw new UserError('The password must not be the username.', 'password');
  if (isDemoPassword(password) && !(demo ?? (await isDemoDatabase(db))))
    throw new UserError(
      'Demo passwords (…-demo) are public and are refused on a database with real data.',
      'password',
    );
  return password;
}

/** Letters and digits that cannot be mistaken for each other when read off a screen. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A one-time password: four groups of four from a 31-character alphabet (about 79 bits), readable
 * aloud and typed without confusing 0/O or 1/l.
 */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let s = '';
    for (let i = 0; i < 4; i++) s += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(s);
  }
  return groups.join('-');
}
