-- From BAST to paid (issue 5): invoices numbered per seller per year, payments with the taxes the
-- treasurer collected or withheld, seller ratings, and the registry of rendered documents with
-- the SHA-256 of every version for the public verification page. Amounts are whole rupiah;
-- times unix microseconds (UTC).
CREATE TABLE invoice_sequences (
    seller_id BIGINT NOT NULL REFERENCES sellers(id),
    year      INTEGER NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (seller_id, year)
);

CREATE TABLE invoices (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        BIGINT NOT NULL UNIQUE REFERENCES orders(id),
    seller_id       BIGINT NOT NULL REFERENCES sellers(id),
    unit_id         BIGINT NOT NULL REFERENCES units(id),
    number          TEXT NOT NULL UNIQUE,
    year            INTEGER NOT NULL,
    seq             INTEGER NOT NULL,
    goods           BIGINT NOT NULL,
    shipping        BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    catering        BOOLEAN NOT NULL DEFAULT FALSE,
    pbjt            BOOLEAN NOT NULL DEFAULT FALSE,
    needs_faktur    BOOLEAN NOT NULL DEFAULT FALSE,
    faktur_number   TEXT NOT NULL DEFAULT '',
    faktur_blob     TEXT NOT NULL DEFAULT '',
    faktur_name     TEXT NOT NULL DEFAULT '',
    total           BIGINT NOT NULL,
    net             BIGINT NOT NULL,
    issued_by       BIGINT NOT NULL REFERENCES users(id),
    issued_at       BIGINT NOT NULL,
    complete_at     BIGINT NOT NULL DEFAULT 0,
    due_at          BIGINT NOT NULL DEFAULT 0,
    paid_amount     BIGINT NOT NULL DEFAULT 0,
    paid_at         BIGINT NOT NULL DEFAULT 0,
    UNIQUE (seller_id, year, seq),
    CHECK (goods >= 0 AND shipping >= 0 AND total >= 0 AND net >= 0 AND paid_amount >= 0)
);
CREATE INDEX invoices_unit_due ON invoices(unit_id, due_at);

CREATE TABLE payments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id      BIGINT NOT NULL REFERENCES orders(id),
    invoice_id    BIGINT NOT NULL REFERENCES invoices(id),
    method        TEXT NOT NULL,
    paid_on       BIGINT NOT NULL,
    reference     TEXT NOT NULL,
    amount        BIGINT NOT NULL,
    expected      BIGINT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    flagged       BOOLEAN NOT NULL DEFAULT FALSE,
    late          BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_by   BIGINT NOT NULL REFERENCES users(id),
    recorded_at   BIGINT NOT NULL,
    CHECK (amount > 0)
);
CREATE INDEX payments_order ON payments(order_id);

CREATE TABLE payment_taxes (
    payment_id   BIGINT NOT NULL REFERENCES payments(id),
    kind         TEXT NOT NULL,
    amount       BIGINT NOT NULL,
    billing_code TEXT NOT NULL,
    ntpn         TEXT NOT NULL,
    PRIMARY KEY (payment_id, kind),
    CHECK (amount >= 0)
);

CREATE TABLE ratings (
    order_id      BIGINT PRIMARY KEY REFERENCES orders(id),
    seller_id     BIGINT NOT NULL REFERENCES sellers(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    on_time       INTEGER NOT NULL,
    quantity      INTEGER NOT NULL,
    quality       INTEGER NOT NULL,
    communication INTEGER NOT NULL,
    delivered_on_time BOOLEAN NOT NULL,
    comment       TEXT NOT NULL DEFAULT '',
    rated_by      BIGINT NOT NULL REFERENCES users(id),
    rated_at      BIGINT NOT NULL,
    reply         TEXT NOT NULL DEFAULT '',
    replied_by    BIGINT NOT NULL DEFAULT 0,
    replied_at    BIGINT NOT NULL DEFAULT 0,
    CHECK (on_time BETWEEN 1 AND 5 AND quantity BETWEEN 1 AND 5 AND quality BETWEEN 1 AND 5 AND communication BETWEEN 1 AND 5)
);
CREATE INDEX ratings_seller ON ratings(seller_id, rated_at);

CREATE TABLE documents (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT NOT NULL UNIQUE,
    order_id   BIGINT NOT NULL REFERENCES orders(id),
    kind       TEXT NOT NULL,
    seq        INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (order_id, kind, seq)
);

CREATE TABLE document_versions (
    document_id BIGINT NOT NULL REFERENCES documents(id),
    version     INTEGER NOT NULL,
    number      TEXT NOT NULL,
    doc_date    BIGINT NOT NULL,
    amount      BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    blob_id     TEXT NOT NULL,
    size        BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (document_id, version)
);
CREATE INDEX document_versions_sha ON document_versions(sha256);
