import pytest
from django.db import connection

from mcsc.reference import reference_seed


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL the audit table refuses UPDATE/DELETE/TRUNCATE. Test isolation
    truncates tables between transactional tests, so the *test* database (never a real
    one) lifts the guard by default; tests of the guard switch it back on."""
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                f'ALTER DATABASE "{connection.settings_dict["NAME"]}" '
                "SET mcsc.audit_maintenance = 'on'"
            )
            cursor.execute("SET mcsc.audit_maintenance = 'on'")
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
