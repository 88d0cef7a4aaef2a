"""Fixtures shared by the case tests."""

import pytest
from django.db import connection


@pytest.fixture
def tamperable():
    """Rows that can be changed behind the application's back.

    On PostgreSQL the append-only trigger stands in the way, so it is disabled for this
    test's transaction, as an intruder with the table owner's rights could (the test
    database's superuser owns the tables). The hash chain is what must catch such an
    intruder."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE casefiles_auditevent "
                "DISABLE TRIGGER casefiles_auditevent_no_update_delete"
            )
    return
