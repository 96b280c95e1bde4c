-- Schema version 6: whether the recipient may also take a grant's data away for its own
-- tasks (its own PDF copy) or only see it at the table and on screen: use for the
-- recipient's own tasks needs the provider's separate accord (ZVH 3.5d).

ALTER TABLE grants ADD COLUMN take_away INTEGER NOT NULL DEFAULT 0;
