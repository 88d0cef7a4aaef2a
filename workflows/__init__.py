"""The task inbox: a viewflow process per case that mirrors the case's django-fsm state,
so each person sees what waits for them, with deadlines and reminders.

It sits above ``casefiles`` and ``mcsc``: it imports their models, services and
permissions, and hears about every case transition through the hook it registers in
``apps.py`` (``casefiles.services.register_workflow_hook``). Nothing in ``casefiles`` or
``mcsc`` imports it.
"""
