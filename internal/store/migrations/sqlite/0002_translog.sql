-- The transparency log (see internal/translog): the order the sequencer gave the audit events,
-- the stored hashes of the Merkle tree, the signed checkpoints and witness cosignatures, and the
-- keys the server announced. Leaves are never copied: a leaf is audit_events.canonical of the
-- event at event_seq, the exact bytes that were hashed.
CREATE TABLE log_leaves (
    leaf_index BIGINT PRIMARY KEY,
    event_seq  BIGINT NOT NULL UNIQUE,
    hash       BLOB NOT NULL
);

-- Every hash of the tree by its stored hash index (golang.org/x/mod/sumdb/tlog.StoredHashIndex),
-- so that roots and proofs read at most a few rows and never recompute the tree.
CREATE TABLE log_hashes (
    idx  BIGINT PRIMARY KEY,
    hash BLOB NOT NULL
);

-- Signed checkpoint notes (log signature only), one per tree size, kept for ever.
CREATE TABLE log_checkpoints (
    size       BIGINT PRIMARY KEY,
    note       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Cosignatures by registered witnesses (C2SP cosignature/v1), one per witness key and size.
CREATE TABLE log_cosignatures (
    size        BIGINT NOT NULL,
    witness     TEXT NOT NULL,
    key_hash    BIGINT NOT NULL,
    cosigned_at BIGINT NOT NULL,
    line        TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    UNIQUE (size, witness, key_hash)
);

-- The log's verifier key and the registered witness keys, as the running server announced them
-- (for the public /log page; verifiers pin keys themselves).
CREATE TABLE log_keys (
    kind       TEXT NOT NULL,
    vkey       TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, vkey)
);
