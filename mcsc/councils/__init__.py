"""Municipal Community Safety Councils: members, meetings (agenda, attendance, guests,
action items, invitations) and minutes.

- ``meetings``: the rules of a meeting (held, quorum, editable, minutes languages);
- ``services``: every write, one transaction and one audit event each; ``selectors``:
  scoped reads;
- ``minutes``: the minutes' content, rendered to PDF/A by ``mcsc.documents``;
- ``forms``/``views``/``urls``: the council pages (mounted at /council/, URL namespace
  ``mcsc``); ``api/``: ``/api/v1/meetings/``; ``admin``: registered from ``mcsc.admin``.

It imports ``mcsc`` (models, permissions, forms, documents) and the audit trail writer;
``casefiles.services`` imports ``meetings`` to check a convened meeting.
"""
