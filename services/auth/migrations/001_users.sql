-- Credentials. The profile service owns nicknames; `nickname` here is the one given at sign-up,
-- a fallback for auth responses when the profile service cannot be asked.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  nickname text NOT NULL,
  password_hash text,
  email_verified boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Accounts at an external identity provider linked to a user.
CREATE TABLE oauth_identities (
  provider text NOT NULL,
  subject text NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, subject)
);
CREATE INDEX oauth_identities_by_user ON oauth_identities (user_id);

-- Email-verification tokens by SHA-256 hash only; single use, with an expiry.
CREATE TABLE email_verification_tokens (
  token_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX email_verification_tokens_by_user ON email_verification_tokens (user_id) WHERE used_at IS NULL;
