-- Fewer index pages written per checkout. A checkout writes an order and its lines, and
-- every index entry lands on a page that the commit writes out again (one WAL frame each on
-- SQLite); entries keyed by unit or user land on a different page for each unit in a commit.
--   - orders_buyer served no query: lists filter by unit, seller or PPK.
--   - orders_concentration and order_lines_price serve only queries on approved orders
--     (approved_at > 0): as partial indexes, a new order and its lines enter them at approval,
--     not at checkout. The queries spell out approved_at > 0 so that both engines use them.
DROP INDEX orders_buyer;
DROP INDEX orders_concentration;
CREATE INDEX orders_concentration ON orders(unit_id, fiscal_year, approved_at) WHERE approved_at > 0;
DROP INDEX order_lines_price;
CREATE INDEX order_lines_price ON order_lines(category_code, unit, approved_at) WHERE approved_at > 0;
