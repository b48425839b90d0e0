-- Audit cases (kasus pemeriksaan): an APIP auditor's investigation of one order, opened on its
-- red flags, with the auditors' notes, closed with a conclusion and reopened when needed. The
-- flags are the JSON list of market.RedFlag codes as seen when the case was opened. At most one
-- case of an order is open at a time: the partial unique index refuses a second. Times are unix
-- microseconds (UTC).
CREATE TABLE audit_cases (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id   BIGINT NOT NULL REFERENCES orders(id),
    state      TEXT NOT NULL,
    title      TEXT NOT NULL,
    opened_by  BIGINT NOT NULL REFERENCES users(id),
    opened_at  BIGINT NOT NULL,
    flags      TEXT NOT NULL DEFAULT '[]',
    conclusion TEXT NOT NULL DEFAULT '',
    closed_by  BIGINT NOT NULL DEFAULT 0,
    closed_at  BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 0,
    CHECK (state IN ('open', 'closed')),
    CHECK ((state = 'open' AND conclusion = '') OR (state = 'closed' AND conclusion <> ''))
);
CREATE UNIQUE INDEX audit_cases_one_open ON audit_cases(order_id) WHERE state = 'open';
CREATE INDEX audit_cases_order ON audit_cases(order_id);
CREATE INDEX audit_cases_state ON audit_cases(state, id);

-- A case's notes, oldest first: working notes, the closing note (with the conclusion it closed
-- with) and the reasons for reopening.
CREATE TABLE audit_case_notes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    BIGINT NOT NULL REFERENCES audit_cases(id),
    author_id  BIGINT NOT NULL REFERENCES users(id),
    at         BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    conclusion TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    CHECK (kind IN ('note', 'close', 'reopen'))
);
CREATE INDEX audit_case_notes_case ON audit_case_notes(case_id, id);
