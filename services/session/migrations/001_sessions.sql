-- Ed25519 keys that sign access tokens. A key signs from activates_at on; it stays published in
-- the JWKS until every token it signed has expired. The private key never leaves this table
-- unsealed (AES-256-GCM when SIGNING_KEY_ENCRYPTION_KEY is set).
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  public_jwk jsonb NOT NULL,
  private_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  activates_at timestamptz NOT NULL
);

-- One session per login; its refresh tokens form one rotation family.
CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  user_agent text,
  ip text,
  revoked_at timestamptz,
  revoke_reason text
);
CREATE INDEX sessions_by_user ON sessions (user_id, created_at DESC, id DESC);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Every refresh token ever issued in a session, by SHA-256 hash only; a spent one is kept so a
-- replay is recognised as reuse.
CREATE TABLE refresh_tokens (
  token_hash bytea PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  issued_at timestamptz NOT NULL DEFAULT now(),
  spent_at timestamptz
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);
