-- Schema version 5: the verstrekkingenregister records the legal basis of the grant that
-- let the data flow and the necessity the provider gave, not the item's own free text
-- (ZVH 8.1: every disclosure by police and OM, with the justification of its necessity
-- and its legal basis, art. 32 Wpg, art. 39j Wjsg).

ALTER TABLE grants ADD COLUMN necessity TEXT NOT NULL DEFAULT '';
ALTER TABLE disclosures ADD COLUMN grant_id INTEGER REFERENCES grants(id);
ALTER TABLE disclosures ADD COLUMN necessity TEXT NOT NULL DEFAULT '';
