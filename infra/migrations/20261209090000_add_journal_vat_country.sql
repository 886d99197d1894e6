-- The country whose VAT a line of the accounts kept per rate (707, 7085,
-- 44571) is: FR, or the EU country a sale was delivered to (a consumer's
-- VAT declared through the One-Stop Shop, or an exempt intra-EU delivery
-- to a business at 0 %). Lines written before it are French.
ALTER TABLE journal_lines ADD COLUMN vat_country TEXT;
