"""The audit trail: one append-only, hash-chained log of every change and every sensitive
read, across all apps.

- ``chain``: writing an event (``audit_record``), hashing, ``diff`` and ``snapshot``;
- ``verification``: walking the chain (``audit_verify``);
- ``checkpoints``: a monitor's checkpoint of the head, and checking the chain extends it;
- ``privileges``: what the application's PostgreSQL role may do (``grant_app_role``): append
  audit events, never change or remove them;
- ``views``/``urls``: the audit pages (mounted at /audit/); ``api``: ``/api/v1/audit/``.

``chain`` imports only ``casefiles.models`` and the request id middleware, so that every
service of every app (cases, councils, workflows) can call ``audit_record``. Pages and API
read through ``views.audit_event_list`` with the requesting user's scope.
"""
