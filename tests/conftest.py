import pytest
from django.db import connection

from mcsc.reference import reference_seed

AUDIT_TRUNCATE_TRIGGER = "casefiles_auditevent_no_truncate"


def _flush_with_the_truncate_guard_lifted(ops):
    """Wrap ``ops.sql_flush`` so that the flush lifts the audit table's TRUNCATE guard for
    its own statement only: ``DISABLE TRIGGER``, the flush's TRUNCATE, ``ENABLE TRIGGER``,
    in the one transaction Django runs a flush in (a failed flush leaves it enabled)."""
    original = ops.sql_flush

    def sql_flush(style, tables, **kwargs):
        statements = original(style, tables, **kwargs)
        if statements and "casefiles_auditevent" in tables:
            table = "casefiles_auditevent"
            statements = [
                f"ALTER TABLE {table} DISABLE TRIGGER {AUDIT_TRUNCATE_TRIGGER}",
                *statements,
                f"ALTER TABLE {table} ENABLE TRIGGER {AUDIT_TRUNCATE_TRIGGER}",
            ]
        return statements

    ops.sql_flush = sql_flush


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """On PostgreSQL the audit table refuses UPDATE, DELETE and TRUNCATE for every role,
    with no switch. Transactional tests end with a flush that truncates every table, so the
    test run, connected as the superuser that owns the tables, disables the TRUNCATE trigger
    around exactly that statement (as only a table owner can, visibly). Nothing about the
    database or the trigger function differs from production."""
    if connection.vendor == "postgresql":
        _flush_with_the_truncate_guard_lifted(connection.ops)
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing is deliberately slow; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data comes from the data migration; a transactional test flushes it, so
    those tests seed it again (idempotent)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        reference_seed()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _interface_language_reset():
    """Each test starts in the default language: Django's LocaleMiddleware leaves the
    last request's language active in the thread, and a test that signs in as a user
    with another language must not change what the next test reads."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
