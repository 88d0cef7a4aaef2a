"""Compliance monitoring: how municipalities responded to incidents, per municipality,
region and period.

- ``figures``: each figure as SQL, in one registry used both to count and to drill down;
- ``periods``: the reporting period a user asks for;
- ``report``: ``compliance_report``, the one function the dashboard, API and every export
  read, so they cannot disagree;
- ``charts``: accessible SVG charts; ``exports``: CSV, XLSX and PDF;
- ``views``/``urls``: the dashboard (mounted at /compliance/); ``api``:
  ``/api/v1/compliance/``.

It reads cases, meetings and councils (``casefiles.models``, ``mcsc.models``) and the
audit trail's writer for audited exports; nothing outside this package imports it except
the case list's drill-down filter (``figures.figure_q``) and the URL configuration.
"""
