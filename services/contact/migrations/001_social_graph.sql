-- Friend requests. `seq` orders lists (newest first) and makes cursors exact.
CREATE TABLE friend_requests (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  from_user_id uuid NOT NULL,
  to_user_id uuid NOT NULL CHECK (to_user_id <> from_user_id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
  created_at timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz
);
-- At most one pending request per pair of users, whichever its direction: two people asking each
-- other at the same moment cannot both leave a pending request behind.
CREATE UNIQUE INDEX friend_requests_one_pending_per_pair
  ON friend_requests (LEAST(from_user_id, to_user_id), GREATEST(from_user_id, to_user_id))
  WHERE status = 'pending';
CREATE INDEX friend_requests_incoming ON friend_requests (to_user_id, seq) WHERE status = 'pending';
CREATE INDEX friend_requests_outgoing ON friend_requests (from_user_id, seq) WHERE status = 'pending';

-- One row per friendship with the pair in canonical order, so two users are friends at most once.
CREATE TABLE friendships (
  user_low uuid NOT NULL,
  user_high uuid NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_low, user_high),
  CHECK (user_low < user_high)
);
CREATE INDEX friendships_of_low ON friendships (user_low, seq);
CREATE INDEX friendships_of_high ON friendships (user_high, seq);

CREATE TABLE blocks (
  blocker_id uuid NOT NULL,
  blocked_id uuid NOT NULL CHECK (blocked_id <> blocker_id),
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_by_blocker ON blocks (blocker_id, seq);
