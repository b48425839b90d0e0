-- The price reference counts the approved prices of a leaf category and unit within the
-- lookback and takes their median in the database (instead of reading every line): with the
-- price in the index, the count and the median read the index alone.
DROP INDEX order_lines_price;
CREATE INDEX order_lines_price ON order_lines(category_code, unit, approved_at, unit_price) WHERE approved_at > 0;
