"""The public transparency pages (no login): published statements and anonymised statistics.

What is public, and only that:

- a statement is public once the municipality published it: the case is in
  ``statement_published`` or a later state (outreach conducted, follow-up, closed; a
  reopened closed case is back in follow-up, so it stays public), and the statement
  version is the one marked published. Drafts, approved-but-unpublished statements,
  rejected versions, unapproved translations and dismissed incidents never are;
- a statement is shown in its source language and in each *approved* translation of that
  published version, with the municipality's name and the publication date. Nothing else
  of the case: no settlement, location, summary, people or category;
- yearly statistics count verified incidents (never reported-but-unverified or dismissed
  ones) by category and by how far the response went. Counts of 1 or 2 are shown as
  "fewer than 3" so that no count points at a person or a household.

Every view is ``@login_not_required``; everything else keeps needing a login.

Modules: ``statements`` (what is published and where), ``statistics`` (yearly counts),
``views`` (the pages), ``feeds`` (Atom), ``urls``. They read cases and statements through
their own selectors, never the scoped ones of the signed-in pages, and write nothing.
"""
