import pytest

from mcsc.reference import reference_seed


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data comes from the data migration; a transactional test flushes it, so
    those tests seed it again (idempotent)."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        reference_seed()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
