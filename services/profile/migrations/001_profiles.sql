-- One public profile per user. Nicknames are stored lower-cased (the service normalises them),
-- so the plain unique index makes them unique case-insensitively. The "C" collation orders by
-- code point, which lets a btree range `>= prefix AND < prefix || U+10FFFF` serve prefix search.
CREATE TABLE profiles (
  user_id uuid PRIMARY KEY,
  nickname text COLLATE "C" NOT NULL CHECK (nickname ~ '^[a-z0-9_.]{3,32}$'),
  display_name text CHECK (char_length(display_name) BETWEEN 1 AND 64),
  -- The search key of display names: lower-cased, compared by code point.
  display_name_key text COLLATE "C" GENERATED ALWAYS AS (lower(display_name)) STORED,
  bio text CHECK (char_length(bio) <= 500),
  avatar_url text CHECK (avatar_url LIKE 'https://%'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX profiles_nickname_key ON profiles (nickname);
CREATE INDEX profiles_display_name_search ON profiles (display_name_key, user_id)
  WHERE display_name_key IS NOT NULL;
