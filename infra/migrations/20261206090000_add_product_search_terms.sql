-- Postgres' search index as a column of its own (issue 11). A GIN index on
-- the expression `array_to_tsvector(string_to_array(tokens, ' '))` made the
-- planner price a prefix search above a sequential scan, which builds that
-- vector for every row: 18 ms for "chemise lin" over 10 000 products. The
-- vector stored once per row (a generated column, written with the tokens)
-- and indexed as a column gets its own statistics, and the same search
-- runs on the index in 0.6 ms. SQLite's FTS5 table is unchanged.

-- postgres only
ALTER TABLE product_search
    ADD COLUMN terms tsvector GENERATED ALWAYS AS (array_to_tsvector(string_to_array(tokens, ' '))) STORED;

-- postgres only
DROP INDEX product_search_tokens;

-- postgres only
CREATE INDEX product_search_terms ON product_search USING GIN (terms);
