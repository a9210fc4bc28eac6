"""The ledger's rules, in the ledger's words: plain functions over a store (one transaction),
raising the typed refusals of ``errors``. No HTTP, no SQL: what a rule needs from the database
is a method of the store."""
