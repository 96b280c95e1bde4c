-- Schema version 16: the index on corrected items only covers corrected items.
-- A full index on items.superseded_by let SQLite answer "the current items of these
-- cases" (superseded_by IS NULL AND case_id IN ...) through it, which reads nearly every
-- item row of the store, content included: the meeting dashboard and the case view then
-- grew with the size of the store instead of with the cases shown (measured with
-- bench.envelope at 10,000 cases).  Partial, it serves only what it is for, finding the
-- row a correction replaced (superseded_by = ?), and the case index does the rest.

DROP INDEX items_superseded;
CREATE INDEX items_superseded ON items(superseded_by) WHERE superseded_by IS NOT NULL;
