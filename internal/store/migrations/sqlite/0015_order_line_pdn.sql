-- Each order line keeps whether its product was a domestic product (PDN, Produk Dalam Negeri)
-- and its certified domestic content (TKDN, in basis points) when it was ordered, as it keeps
-- the product's name and price: the portal reports the PDN share of purchases. Lines ordered
-- before this migration take their product's values as they are now.
ALTER TABLE order_lines ADD COLUMN pdn BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE order_lines ADD COLUMN tkdn_bp INTEGER NOT NULL DEFAULT 0;
UPDATE order_lines SET pdn = (SELECT p.pdn FROM products p WHERE p.id = order_lines.product_id),
    tkdn_bp = (SELECT p.tkdn_bp FROM products p WHERE p.id = order_lines.product_id);
