-- A role offered to someone who already has an account. Inviting an address that belongs to
-- an account grants nothing: it records an offer, which the account's holder accepts (the
-- grant is made then) or declines on their own account page. The name and e-mail are what the
-- inviter typed — the only things the inviter's pages show of a pending offer. An offer not
-- answered by expires_at is void; status stays 'pending' until a new offer of the same role
-- replaces it ('expired').
CREATE TABLE role_offers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL,
    scope_kind    TEXT NOT NULL,
    scope_id      BIGINT NOT NULL DEFAULT 0,
    valid_from    BIGINT NOT NULL DEFAULT 0,
    valid_to      BIGINT NOT NULL DEFAULT 0,
    invitee_name  TEXT NOT NULL,
    invitee_email TEXT NOT NULL,
    offered_by    BIGINT NOT NULL REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending',
    answered_at   BIGINT NOT NULL DEFAULT 0,
    membership_id BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX role_offers_user ON role_offers(user_id, status);
CREATE INDEX role_offers_scope ON role_offers(scope_kind, scope_id, status);
-- At most one pending offer of a role in a scope to the same person.
CREATE UNIQUE INDEX role_offers_pending ON role_offers(user_id, role, scope_kind, scope_id) WHERE status = 'pending';
