-- The buyer's phone and, when it differs from the shipping address, the
-- billing address (NULL bill_name = same as shipping).
ALTER TABLE orders ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN bill_name TEXT;
ALTER TABLE orders ADD COLUMN bill_line1 TEXT;
ALTER TABLE orders ADD COLUMN bill_line2 TEXT;
ALTER TABLE orders ADD COLUMN bill_postal_code TEXT;
ALTER TABLE orders ADD COLUMN bill_city TEXT;
ALTER TABLE orders ADD COLUMN bill_country TEXT;
