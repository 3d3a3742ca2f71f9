import type { Profile } from '@messenger/contracts';
import type { Pool, PoolClient } from '@messenger/platform';

type Db = Pool | PoolClient;

interface ProfileRow {
  user_id: string;
  nickname: string;
  display_name: string | null;
  bio: string | null;
  avatar_url: string | null;
  created_at: Date;
  updated_at: Date;
}

export const PROFILE_COLUMNS =
  'user_id, nickname, display_name, bio, avatar_url, created_at, updated_at';

export function toProfile(row: ProfileRow): Profile {
  return {
    userId: row.user_id,
    nickname: row.nickname,
    displayName: row.display_name,
    bio: row.bio,
    avatarUrl: row.avatar_url,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function findProfiles(db: Db, userIds: readonly string[]): Promise<Profile[]> {
  const { rows } = await db.query<ProfileRow>(
    `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE user_id = ANY($1::uuid[])`,
    [userIds],
  );
  return rows.map(toProfile);
}

export async function findProfileByNickname(
  db: Db,
  nickname: string,
): Promise<Profile | undefined> {
  const { rows } = await db.query<ProfileRow>(
    `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE nickname = $1`,
    [nickname],
  );
  return rows[0] && toProfile(rows[0]);
}

export async function lockProfile(
  client: PoolClient,
  userId: string,
): Promise<Profile | undefined> {
  const { rows } = await client.query<ProfileRow>(
    `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE user_id = $1 FOR UPDATE`,
    [userId],
  );
  return rows[0] && toProfile(rows[0]);
}

/** Inserts the profile unless the user or the nickname already has one; undefined then. */
export async function insertProfileIfAbsent(
  db: Db,
  userId: string,
  nickname: string,
): Promise<Profile | undefined> {
  const { rows } = await db.query<ProfileRow>(
    `INSERT INTO profiles (user_id, nickname) VALUES ($1, $2)
     ON CONFLICT DO NOTHING RETURNING ${PROFILE_COLUMNS}`,
    [userId, nickname],
  );
  return rows[0] && toProfile(rows[0]);
}

export type EditableFields = Pick<Profile, 'nickname' | 'displayName' | 'bio' | 'avatarUrl'>;

export async function updateProfile(
  client: PoolClient,
  userId: string,
  fields: EditableFields,
): Promise<Profile> {
  const { rows } = await client.query<ProfileRow>(
    `UPDATE profiles
     SET nickname = $2, display_name = $3, bio = $4, avatar_url = $5, updated_at = now()
     WHERE user_id = $1 RETURNING ${PROFILE_COLUMNS}`,
    [userId, fields.nickname, fields.displayName, fields.bio, fields.avatarUrl],
  );
  const row = rows[0];
  if (!row) throw new Error(`profile ${userId} vanished while locked`);
  return toProfile(row);
}
