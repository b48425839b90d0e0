-- Personal API tokens expire: expires_at is when a token stops working, and expiry_notified_at
-- when its owner was reminded (a week before), so that the reminder goes out once. Tokens made
-- before tokens expired get a year from their creation.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN expiry_notified_at BIGINT NOT NULL DEFAULT 0;
UPDATE api_tokens SET expires_at = created_at + 365 * 86400 * CAST(1000000 AS BIGINT);
