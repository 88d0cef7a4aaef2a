"""The base layer of the product: what every other part stands on.

- ``models``: reference data (regions, languages, communities, municipalities), roles and
  role assignments, and the councils' tables (kept here so migrations stay put);
- ``reference``: loading the sourced reference data; ``languages``: which languages a
  municipality's statements need;
- ``permissions``: the one role-and-scope module (``user_can``, ``get_for_user``: 404
  outside scope, 403 without the right);
- ``forms``: the form plumbing every page form uses; ``documents``: the one PDF renderer;
- ``selectors``/``services``/``api/``: reference data reads, role assignments, and the
  reference data API;
- ``councils/``: councils, members, meetings and minutes.

The modules above import only Django and each other. ``councils`` may also import the
audit trail writer (``casefiles.audit.chain``) and, for action items that become case
follow-up actions, ``casefiles.services``.
"""
