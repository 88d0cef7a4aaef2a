"""Cases: the response to one security incident, from report to closure, and the
subsystems that read or guard cases.

At the top of the package, the cases themselves: ``models`` (all of the app's tables,
audit and statements included, so migrations stay in one place), ``services`` (every
write, one django-fsm transition and one audit event each), ``selectors`` and ``reads``
(scoped reads), ``forms``/``views``/``urls`` (the case pages), ``api/`` (the cases REST
API), ``notifications``, ``clock`` and ``errors``.

Subpackages, each with its own pages, API and URLs:

- ``audit/``: the hash-chained audit trail every service writes to, its verification,
  checkpoints, pages and API (the ``verify_audit`` command lives in ``management/`` as
  Django requires, and only calls ``audit``);
- ``compliance/``: the monitoring figures, periods, charts, exports, dashboard and API;
- ``public/``: the pages, feeds and statistics anyone may read without a login;
- ``demo/``: demo data and the code that plays it through the services.

Imports go downwards: pages and API -> services/selectors -> models; ``casefiles`` may
import ``mcsc`` (reference data, permissions, councils), never ``workflows``, which
listens to case services through ``services.register_workflow_hook``.
"""
