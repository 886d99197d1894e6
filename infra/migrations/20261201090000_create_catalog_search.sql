-- The catalog listed, searched, filtered, counted and paged by the store
-- through indexes, whatever its size (issue 11). What the listing orders or
-- filters by is kept on the product row when the product or its variants
-- are written (`functions/src/catalog/index.rs`, same transaction):
--   search_tokens: `comptoir_shared::search::tokens` of name, category and
--                  description, space-separated (computed in Rust, once);
--   name_key:      `search::fold` of the name (the A-to-Z order);
--   price_from:    the lowest variant price (NULL without variants).
-- Availability stays live (stock minus reservations), read from `stock`.
-- Existing products get their columns when this migration is applied
-- (`migrate::ensure` reindexes every product after it).
-- Statements marked `-- sqlite only` / `-- postgres only` apply to that
-- store alone (`migrate::statements_for`).

ALTER TABLE products ADD COLUMN search_tokens TEXT NOT NULL DEFAULT '';

ALTER TABLE products ADD COLUMN price_from INTEGER;

-- Byte order, as Rust compares the folded names: Postgres' default
-- collation would order by the database locale.
-- postgres only
ALTER TABLE products ADD COLUMN name_key TEXT COLLATE "C" NOT NULL DEFAULT '';

-- SQLite's default collation is byte order already.
-- sqlite only
ALTER TABLE products ADD COLUMN name_key TEXT NOT NULL DEFAULT '';

-- One index per order the shop offers, ties by position as before.
CREATE INDEX products_by_position ON products (published, position, id);

CREATE INDEX products_by_price ON products (published, price_from, position, id);

CREATE INDEX products_by_name ON products (published, name_key, position, id);

-- The category counts read this index only (unless a search or the stock
-- filter asks for more).
CREATE INDEX products_by_category ON products (published, category, price_from, position);

-- The unfiltered listing's category counts, kept with the listing columns
-- (listed products: published, with a variant): the shop's first page reads
-- a handful of rows rather than counting the whole catalog.
CREATE TABLE catalog_categories (
    category       TEXT PRIMARY KEY,
    products       INTEGER NOT NULL,
    first_position INTEGER NOT NULL
);

-- SQLite: an FTS5 index of the pre-folded tokens. The `ascii` tokenizer
-- splits at spaces only (every non-ASCII character is part of a word), so
-- its terms are exactly the tokens; a query token matches as a prefix,
-- `"chemi"*`. Keyed by product id (not by the products' implicit rowid,
-- which VACUUM may renumber).
-- sqlite only
CREATE VIRTUAL TABLE product_search USING fts5 (tokens, product_id UNINDEXED, tokenize = 'ascii');

-- Postgres: the same tokens taken verbatim as lexemes (no parser, no
-- dictionary: they are normalised already) in a GIN index; a query token
-- matches as a prefix, `'chemi':*`.
-- postgres only
CREATE INDEX products_search ON products USING GIN (array_to_tsvector(string_to_array(search_tokens, ' ')));
