-- UMK onboarding and product curation: seller identity and documents, the blocked-NPWP list,
-- products with revisions, photos and price history. Private columns (owner NIK, NPWP of
-- individuals, phone, address, bank) never reach public pages or the public audit encoding.
ALTER TABLE sellers ADD COLUMN legal_form TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN nib TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN npwp TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN owner_nik TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN capital BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sellers ADD COLUMN annual_sales BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sellers ADD COLUMN class TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN pkp BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sellers ADD COLUMN pp55_number TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN pp55_valid_from BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sellers ADD COLUMN pp55_valid_to BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sellers ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN kelurahan TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN bank_name TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN bank_account TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN bank_holder TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN change_notes TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN suspended_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sellers ADD COLUMN privacy_accepted_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sellers ADD COLUMN submitted_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sellers ADD COLUMN verified_at BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX sellers_nib ON sellers(nib) WHERE nib <> '';
CREATE UNIQUE INDEX sellers_npwp ON sellers(npwp) WHERE npwp <> '';
CREATE INDEX sellers_status ON sellers(status, submitted_at);

CREATE TABLE seller_kbli (
    seller_id BIGINT NOT NULL REFERENCES sellers(id),
    kbli      TEXT NOT NULL,
    PRIMARY KEY (seller_id, kbli)
);

CREATE TABLE seller_documents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    seller_id   BIGINT NOT NULL REFERENCES sellers(id),
    kind        TEXT NOT NULL,
    blob_id     TEXT NOT NULL,
    filename    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size        BIGINT NOT NULL,
    uploaded_by BIGINT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX seller_documents_seller ON seller_documents(seller_id, kind);

CREATE TABLE blocked_npwp (
    npwp       TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE products (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    seller_id        BIGINT NOT NULL REFERENCES sellers(id),
    sku              TEXT NOT NULL,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    category_code    TEXT NOT NULL,
    unit             TEXT NOT NULL,
    price            BIGINT NOT NULL,
    min_order        BIGINT NOT NULL DEFAULT 1,
    stock            BIGINT NOT NULL DEFAULT 0,
    pdn              BOOLEAN NOT NULL DEFAULT FALSE,
    tkdn_bp          INTEGER NOT NULL DEFAULT 0,
    tkdn_certificate TEXT NOT NULL DEFAULT '',
    sni              TEXT NOT NULL DEFAULT '',
    brand            TEXT NOT NULL DEFAULT '',
    specs            TEXT NOT NULL DEFAULT '[]',
    public_price     BIGINT NOT NULL DEFAULT 0,
    public_price_url TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'draft',
    status_reason    TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    submitted_at     BIGINT NOT NULL DEFAULT 0,
    approved_at      BIGINT NOT NULL DEFAULT 0,
    UNIQUE (seller_id, sku),
    CHECK (stock >= 0),
    CHECK (price > 0)
);
CREATE INDEX products_status ON products(status, category_code);
CREATE INDEX products_seller ON products(seller_id, status);

CREATE TABLE product_revisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL REFERENCES products(id),
    fields     TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending',
    reason     TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_by BIGINT NOT NULL DEFAULT 0,
    decided_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX product_revisions_product ON product_revisions(product_id, status);

CREATE TABLE product_photos (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL REFERENCES products(id),
    blob_id    TEXT NOT NULL,
    thumb_id   TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX product_photos_product ON product_photos(product_id, position);

CREATE TABLE price_history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL REFERENCES products(id),
    price      BIGINT NOT NULL,
    valid_from BIGINT NOT NULL,
    valid_to   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX price_history_product ON price_history(product_id, valid_from);
