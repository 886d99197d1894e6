-- Whether a product has a unit that can be bought now (some variant with
-- on_hand - reserved > 0): 1 or 0, kept by the store itself on every write
-- of a shelf (a trigger on `stock`), in the writing transaction, so the
-- listing and its "in stock" filter read one indexed column rather than
-- every variant's shelf (issue 11: a listing's cost must not grow with the
-- catalog). Availability stays live: a reservation that takes the last
-- unit clears it, its release sets it again.

ALTER TABLE products ADD COLUMN available INTEGER NOT NULL DEFAULT 0;

UPDATE products SET available = CASE WHEN
    (SELECT MAX(s.on_hand - s.reserved) FROM variants v JOIN stock s ON s.sku = v.sku
     WHERE v.product_id = products.id) > 0 THEN 1 ELSE 0 END;

-- The "in stock" listing and its category counts read this index only.
CREATE INDEX products_by_availability ON products (published, available, category, price_from, position);

-- A trigger body's statements end mid-line: the migration runner splits
-- statements at a `;` that ends a line.
-- sqlite only
CREATE TRIGGER stock_inserted_availability AFTER INSERT ON stock BEGIN
    UPDATE products SET available = CASE WHEN (SELECT MAX(s.on_hand - s.reserved) FROM variants v JOIN stock s ON s.sku = v.sku WHERE v.product_id = products.id) > 0 THEN 1 ELSE 0 END
    WHERE id = (SELECT product_id FROM variants WHERE sku = NEW.sku); END;

-- sqlite only
CREATE TRIGGER stock_updated_availability AFTER UPDATE OF on_hand, reserved ON stock BEGIN
    UPDATE products SET available = CASE WHEN (SELECT MAX(s.on_hand - s.reserved) FROM variants v JOIN stock s ON s.sku = v.sku WHERE v.product_id = products.id) > 0 THEN 1 ELSE 0 END
    WHERE id = (SELECT product_id FROM variants WHERE sku = NEW.sku); END;

-- Postgres: once per statement, over the shelves it wrote (a bulk insert
-- of 100 000 shelves updates each product once, not once per shelf).
-- postgres only
CREATE FUNCTION product_availability() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
    UPDATE products SET available = CASE WHEN (SELECT MAX(s.on_hand - s.reserved) FROM variants v JOIN stock s ON s.sku = v.sku WHERE v.product_id = products.id) > 0 THEN 1 ELSE 0 END
    WHERE id IN (SELECT v.product_id FROM variants v JOIN changed c ON c.sku = v.sku); RETURN NULL; END $$;

-- postgres only
CREATE TRIGGER stock_inserted_availability AFTER INSERT ON stock REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION product_availability();

-- postgres only
CREATE TRIGGER stock_updated_availability AFTER UPDATE ON stock REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION product_availability();
