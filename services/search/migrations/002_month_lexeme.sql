-- A second lexeme per message, its month ('@2026-12', UTC, from its createdAt; the parser never
-- makes a word starting with '@'), so a search reads the newest months first and, for a common
-- word, fetches only the few hundred matches of those months instead of every match in the
-- caller's chats (benchmarks/search: ~5,000 heap rows for a word in 30 % of 16,600 messages).
ALTER TABLE messages DROP COLUMN words;
ALTER TABLE messages ADD COLUMN words tsvector GENERATED ALWAYS AS (
  to_tsvector('simple'::regconfig, message ->> 'content')
    || array_to_tsvector(ARRAY['~' || chat_id::text, '@' || substr(message ->> 'createdAt', 1, 7)])
) STORED;
CREATE INDEX messages_words ON messages USING gin (words);
