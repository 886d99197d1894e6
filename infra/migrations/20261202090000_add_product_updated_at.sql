-- When a product was last changed (its fields, publication, or a variant's
-- price), in Unix milliseconds: the sitemap's `lastmod`. Set by
-- `functions/src/catalog/index.rs::refresh` in the writing transaction;
-- products already there get the time this migration is applied
-- (`migrate::ensure`); 0 means unknown (the sitemap then says nothing).
ALTER TABLE products ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
