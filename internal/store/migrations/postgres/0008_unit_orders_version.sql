-- A counter per unit, raised in the same transaction as every change to the unit's orders
-- (checkout, every order action, negotiation). Checkout evaluates its rules before its write
-- transaction and, inside it, raises the counter only if it still holds the value read before
-- the evaluation: when it does, the unit's orders the rules read are as they were; when it does
-- not, the rules are evaluated again inside the transaction.
ALTER TABLE units ADD COLUMN orders_version BIGINT NOT NULL DEFAULT 0;
