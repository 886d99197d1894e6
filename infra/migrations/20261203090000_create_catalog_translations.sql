-- Catalog content in other languages (issue 11). French is a product's and
-- a category's own text (`products.name`, `products.description`,
-- `products.category`); these rows hold their other languages, by language
-- code (`en`). A missing row, or an empty description, is served in French.
--
-- Search is per language: a shopper of the English shop searches the
-- English texts (French for what a product does not translate), one of the
-- French shop the French texts only, so a prefix never matches across
-- languages ("lin" finds linen, not a "lined" hood). `product_search` holds
-- one row of tokens per product and language (on SQLite an FTS5 table, on
-- Postgres a table with a GIN index), written by
-- `functions/src/catalog/index.rs` with every change; `products.search_tokens`
-- goes. name_key: `search::fold` of the translated name (the A-to-Z order
-- in that language), byte order as Rust compares the folded names.

-- postgres only
CREATE TABLE product_translations (
    product_id    TEXT NOT NULL REFERENCES products (id),
    lang          TEXT NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    name_key      TEXT COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, lang)
);

-- sqlite only
CREATE TABLE product_translations (
    product_id    TEXT NOT NULL REFERENCES products (id),
    lang          TEXT NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    name_key      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, lang)
);

-- Keyed by the category's French name, as products name it.
CREATE TABLE category_translations (
    category TEXT NOT NULL,
    lang     TEXT NOT NULL,
    name     TEXT NOT NULL,
    PRIMARY KEY (category, lang)
);

-- The search index, now per language (rebuilt when this migration is
-- applied: `migrate::ensure`). On SQLite the language is an indexed column
-- a search names (`lang : "en" AND tokens : (…)`).
-- sqlite only
DROP TABLE product_search;

-- sqlite only
CREATE VIRTUAL TABLE product_search USING fts5 (tokens, lang, product_id UNINDEXED, tokenize = 'ascii');

-- postgres only
DROP INDEX products_search;

-- postgres only
CREATE TABLE product_search (
    product_id TEXT NOT NULL REFERENCES products (id),
    lang       TEXT NOT NULL,
    tokens     TEXT NOT NULL,
    PRIMARY KEY (product_id, lang)
);

-- postgres only
CREATE INDEX product_search_tokens ON product_search USING GIN (array_to_tsvector(string_to_array(tokens, ' ')));

-- The tokens live in `product_search` alone.
ALTER TABLE products DROP COLUMN search_tokens;
