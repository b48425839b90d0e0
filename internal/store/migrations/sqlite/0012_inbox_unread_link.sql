-- Acting on an order reads the actor's unread messages about it (by their link): with the link
-- in the index, that finds them directly instead of reading every unread message of the user.
DROP INDEX inbox_user;
CREATE INDEX inbox_user ON inbox(user_id, read_at, link);
