-- Belanja langsung: budget lines, policy history, carts, orders with their lines, shipments,
-- receipts (BAST), price negotiations, Surat Pesanan numbering and relations between users and
-- sellers declared to admins. Amounts are whole rupiah; times unix microseconds (UTC). The
-- CHECKs are the last line of defence: stock and budget change only through conditional
-- UPDATEs, and the database refuses anything that would go negative or over the ceiling.
CREATE TABLE budget_lines (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id        BIGINT NOT NULL REFERENCES units(id),
    fiscal_year    INTEGER NOT NULL,
    kode_rup       TEXT NOT NULL,
    account_code   TEXT NOT NULL,
    name           TEXT NOT NULL,
    funding_source TEXT NOT NULL,
    ceiling        BIGINT NOT NULL,
    reserved       BIGINT NOT NULL DEFAULT 0,
    committed      BIGINT NOT NULL DEFAULT 0,
    spent          BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (unit_id, fiscal_year, kode_rup, account_code),
    CHECK (ceiling > 0),
    CHECK (reserved >= 0),
    CHECK (committed >= 0),
    CHECK (spent >= 0),
    CHECK (reserved + committed + spent <= ceiling)
);

CREATE TABLE policy_versions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    policy     TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    changed_by BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);

CREATE TABLE carts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    updated_at BIGINT NOT NULL,
    UNIQUE (user_id, unit_id)
);

CREATE TABLE cart_lines (
    cart_id    BIGINT NOT NULL REFERENCES carts(id),
    product_id BIGINT NOT NULL REFERENCES products(id),
    quantity   BIGINT NOT NULL,
    added_at   BIGINT NOT NULL,
    PRIMARY KEY (cart_id, product_id),
    CHECK (quantity > 0)
);

CREATE TABLE orders (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    checkout_id    TEXT NOT NULL,
    unit_id        BIGINT NOT NULL REFERENCES units(id),
    buyer_id       BIGINT NOT NULL REFERENCES users(id),
    ppk_id         BIGINT NOT NULL REFERENCES users(id),
    receiver_id    BIGINT NOT NULL DEFAULT 0,
    seller_id      BIGINT NOT NULL REFERENCES sellers(id),
    budget_line_id BIGINT NOT NULL REFERENCES budget_lines(id),
    fiscal_year    INTEGER NOT NULL,
    categories     TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL,
    disputed_from  TEXT NOT NULL DEFAULT '',
    charges_ppn    BOOLEAN NOT NULL DEFAULT FALSE,
    goods          BIGINT NOT NULL,
    shipping       BIGINT NOT NULL,
    ppn            BIGINT NOT NULL,
    total          BIGINT NOT NULL,
    budget_reserved  BIGINT NOT NULL DEFAULT 0,
    budget_committed BIGINT NOT NULL DEFAULT 0,
    address        TEXT NOT NULL,
    needed_by      BIGINT NOT NULL DEFAULT 0,
    notes          TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    sp_number      TEXT NOT NULL DEFAULT '',
    policy         TEXT NOT NULL,
    rules          TEXT NOT NULL,
    justifications TEXT NOT NULL,
    placed_at      BIGINT NOT NULL,
    state_since    BIGINT NOT NULL,
    approved_at    BIGINT NOT NULL DEFAULT 0,
    accepted_at    BIGINT NOT NULL DEFAULT 0,
    updated_at     BIGINT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 0,
    CHECK (goods >= 0 AND shipping >= 0 AND ppn >= 0 AND total >= 0),
    CHECK (budget_reserved >= 0 AND budget_committed >= 0)
);
CREATE INDEX orders_unit ON orders(unit_id, placed_at);
CREATE INDEX orders_seller ON orders(seller_id, placed_at);
CREATE INDEX orders_ppk ON orders(ppk_id, state);
CREATE INDEX orders_buyer ON orders(buyer_id, placed_at);
CREATE INDEX orders_state ON orders(state, state_since);
CREATE INDEX orders_concentration ON orders(unit_id, fiscal_year, approved_at);
CREATE UNIQUE INDEX orders_sp_number ON orders(sp_number) WHERE sp_number <> '';

CREATE TABLE order_lines (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id      BIGINT NOT NULL REFERENCES orders(id),
    line_no       INTEGER NOT NULL,
    product_id    BIGINT NOT NULL REFERENCES products(id),
    name          TEXT NOT NULL,
    unit          TEXT NOT NULL,
    category_code TEXT NOT NULL,
    list_price    BIGINT NOT NULL,
    unit_price    BIGINT NOT NULL,
    quantity      BIGINT NOT NULL,
    received      BIGINT NOT NULL DEFAULT 0,
    approved_at   BIGINT NOT NULL DEFAULT 0,
    UNIQUE (order_id, line_no),
    CHECK (quantity > 0),
    CHECK (unit_price > 0 AND list_price > 0),
    CHECK (received >= 0 AND received <= quantity)
);
CREATE INDEX order_lines_price ON order_lines(category_code, unit, approved_at);

CREATE TABLE shipments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id      BIGINT NOT NULL REFERENCES orders(id),
    delivery_note TEXT NOT NULL,
    courier       TEXT NOT NULL DEFAULT '',
    tracking      TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    shipped_by    BIGINT NOT NULL REFERENCES users(id),
    shipped_at    BIGINT NOT NULL
);
CREATE INDEX shipments_order ON shipments(order_id);

CREATE TABLE receipts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    BIGINT NOT NULL REFERENCES orders(id),
    number      TEXT NOT NULL UNIQUE,
    condition   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    photos      TEXT NOT NULL DEFAULT '[]',
    received_by BIGINT NOT NULL REFERENCES users(id),
    received_at BIGINT NOT NULL
);
CREATE INDEX receipts_order ON receipts(order_id);

CREATE TABLE receipt_lines (
    receipt_id    BIGINT NOT NULL REFERENCES receipts(id),
    order_line_id BIGINT NOT NULL REFERENCES order_lines(id),
    quantity      BIGINT NOT NULL,
    condition     TEXT NOT NULL DEFAULT 'good',
    PRIMARY KEY (receipt_id, order_line_id),
    CHECK (quantity >= 0)
);

CREATE TABLE negotiations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id   BIGINT NOT NULL REFERENCES orders(id),
    line_no    INTEGER NOT NULL,
    list_price BIGINT NOT NULL,
    moves      TEXT NOT NULL,
    status     TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (order_id, line_no)
);

CREATE TABLE sp_sequences (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    year    INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (unit_id, year)
);

CREATE TABLE seller_relations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    seller_id   BIGINT NOT NULL REFERENCES sellers(id),
    relation    TEXT NOT NULL,
    declared_by BIGINT NOT NULL,
    declared_at BIGINT NOT NULL,
    ended_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX seller_relations_seller ON seller_relations(seller_id);
CREATE INDEX seller_relations_user ON seller_relations(user_id);
