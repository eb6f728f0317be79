/**
 * One demo user per role for the synthetic demo city. The passwords are public (README), so these
 * accounts belong in the demo database only, never in one loaded with real data.
 */
import type { Db } from '../db.ts';
import { addUser, findUser, type Role } from './users.ts';

export interface DemoUser {
  username: string;
  password: string;
  role: Role;
  districts?: number[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'commissioner', password: 'commissioner-demo', role: 'commissioner' },
  { username: 'manager', password: 'manager-demo', role: 'manager' },
  { username: 'inspector3', password: 'inspector-demo', role: 'inspector', districts: [3] },
  { username: 'admin', password: 'admin-demo', role: 'admin' },
];

/** Adds the demo users that are missing; existing users (and their passwords) are left alone. */
export async function ensureDemoUsers(db: Db): Promise<string[]> {
  const added: string[] = [];
  for (const u of DEMO_USERS) {
    if (await findUser(db, u.username)) continue;
    await addUser(db, u);
    added.push(u.username);
  }
  return added;
}
