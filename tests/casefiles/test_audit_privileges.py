"""The application's database role (manage.py grant_app_role) appends audit events through
``audit_record`` and can neither change, remove nor truncate them, nor switch the trigger
off, whatever it sets in its session.

Each test creates a role of its own in the test cluster (named after the worker's test
database, so that parallel workers do not meet) and runs as it with ``SET LOCAL ROLE``.
"""

import importlib
import io
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from casefiles.audit.privileges import quote_identifier
from casefiles.audit.verification import audit_verify
from casefiles.models import AuditAction, AuditEvent, AuditHead, Case
from tests.casefiles.builders import open_case, team


def postgres_only(test):
    skip = pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: roles and privileges"
    )
    return pytest.mark.postgres(skip(test))


def role_name(suffix: str) -> str:
    return f"{connection.settings_dict['NAME']}_{suffix}"[:63]


def drop_role(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        if cursor.fetchone():
            cursor.execute(f"DROP OWNED BY {quote_identifier(name)}")
            cursor.execute(f"DROP ROLE {quote_identifier(name)}")


@contextmanager
def created_role(suffix: str, options: str = "NOLOGIN"):
    name = role_name(suffix)
    drop_role(name)  # left over from an interrupted run
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {quote_identifier(name)} {options}")
    try:
        yield name
    finally:
        drop_role(name)


@pytest.fixture
def app_role(transactional_db):
    """A fresh application role with the grants of ``grant_app_role``."""
    with created_role("app") as name:
        call_command("grant_app_role", name, stdout=io.StringIO())
        yield name


@contextmanager
def as_role(name: str):
    """One transaction in which the connection acts as ``name``."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {quote_identifier(name)}")
        yield cursor


def privileges(role: str, table: str) -> set[str]:
    kinds = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p FROM unnest(%s::text[]) AS p WHERE has_table_privilege(%s, %s, p)",
            [kinds, role, table],
        )
        return {kind for (kind,) in cursor.fetchall()}


def chain_rows():
    return list(AuditEvent.objects.order_by("sequence").values_list("sequence", "hash"))


# --- Appending works -------------------------------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_app_role_runs_the_application_and_appends_audit_events(app_role):
    with as_role(app_role) as cursor:
        t = team("prizren")
        case = open_case(t)
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role

    assert Case.objects.filter(pk=case.pk).exists()
    opened = AuditEvent.objects.get(case=case, action=AuditAction.CASE_OPEN)
    assert AuditHead.objects.get(pk=1).count == opened.sequence
    assert audit_verify().ok


# --- Changing, removing or switching off is refused ------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE casefiles_auditevent SET payload = '{}'::jsonb",
        "DELETE FROM casefiles_auditevent",
        "TRUNCATE casefiles_auditevent",
        "TRUNCATE casefiles_case CASCADE",
        "DELETE FROM casefiles_audithead",
        "TRUNCATE casefiles_audithead",
        "ALTER TABLE casefiles_auditevent DISABLE TRIGGER casefiles_auditevent_no_update_delete",
        "ALTER TABLE casefiles_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER casefiles_auditevent_no_truncate ON casefiles_auditevent",
        "CREATE OR REPLACE FUNCTION casefiles_audit_append_only() RETURNS trigger AS "
        "$$ BEGIN RETURN COALESCE(NEW, OLD); END; $$ LANGUAGE plpgsql",
        "SET LOCAL session_replication_role = replica",
    ],
    ids=[
        "update",
        "delete",
        "truncate",
        "truncate-cascade",
        "delete-head",
        "truncate-head",
        "disable-trigger",
        "disable-all-triggers",
        "drop-trigger",
        "replace-function",
        "replica-mode",
    ],
)
def test_the_app_role_cannot_change_remove_or_unguard_audit_events(app_role, statement):
    open_case(team("prizren"))
    before = chain_rows()
    head = AuditHead.objects.get(pk=1)

    with (
        pytest.raises(DatabaseError, match=r"permission denied|must be owner") as error,
        as_role(app_role) as cursor,
    ):
        cursor.execute("SET LOCAL mcsc.audit_maintenance = 'on'")
        cursor.execute(statement)
    assert type(error.value).__name__ == "ProgrammingError"

    assert chain_rows() == before
    assert AuditHead.objects.get(pk=1).hash == head.hash
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = 'casefiles_auditevent'::regclass AND NOT tgisinternal ORDER BY 1"
        )
        assert cursor.fetchall() == [
            ("casefiles_auditevent_no_truncate", "O"),
            ("casefiles_auditevent_no_update_delete", "O"),
        ]
    assert audit_verify().ok


# --- The grants ------------------------------------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_grants_are_exactly_what_the_application_needs_and_rerunning_changes_nothing(app_role):
    expected = {
        "casefiles_auditevent": {"SELECT", "INSERT"},
        "casefiles_audithead": {"SELECT", "INSERT", "UPDATE"},
        "casefiles_case": {"SELECT", "INSERT", "UPDATE", "DELETE"},
        "casefiles_caseperson": {"SELECT", "INSERT", "UPDATE", "DELETE"},
        "auth_user": {"SELECT", "INSERT", "UPDATE", "DELETE"},
    }
    assert {table: privileges(app_role, table) for table in expected} == expected

    # A grant too many (by hand, or from an older deployment) is taken away again.
    with connection.cursor() as cursor:
        cursor.execute(
            f"GRANT ALL ON casefiles_auditevent, casefiles_case TO {quote_identifier(app_role)}"
        )
    out = io.StringIO()
    call_command("grant_app_role", app_role, stdout=out)
    assert {table: privileges(app_role, table) for table in expected} == expected
    assert f"“{app_role}”" in out.getvalue() and "never change or remove" in out.getvalue()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
            "AND CASE WHEN relkind = 'S' THEN NOT has_sequence_privilege(%s, oid, 'USAGE') END",
            [app_role],
        )
        assert cursor.fetchone()[0] == 0


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_setting_names_the_role_for_the_command_and_the_migration(app_role, settings):
    settings.MCSC_DB_APP_ROLE = app_role
    with connection.cursor() as cursor:
        cursor.execute(
            f"GRANT UPDATE, DELETE, TRUNCATE ON casefiles_auditevent "
            f"TO {quote_identifier(app_role)}"
        )
    assert {"UPDATE", "DELETE", "TRUNCATE"} <= privileges(app_role, "casefiles_auditevent")

    migration = importlib.import_module(
        "casefiles.migrations.0009_audit_append_only_without_switch"
    )
    with connection.schema_editor() as editor:
        migration.forwards(None, editor)
    assert privileges(app_role, "casefiles_auditevent") == {"SELECT", "INSERT"}

    call_command("grant_app_role", stdout=io.StringIO())  # no argument: the setting
    assert privileges(app_role, "casefiles_auditevent") == {"SELECT", "INSERT"}
    assert privileges(app_role, "casefiles_case") == {"SELECT", "INSERT", "UPDATE", "DELETE"}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_role_that_could_undo_the_guard_is_refused():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    with pytest.raises(CommandError, match="running this command"):
        call_command("grant_app_role", owner, stdout=io.StringIO())
    with pytest.raises(CommandError, match="There is no database role"):
        call_command("grant_app_role", role_name("nobody"), stdout=io.StringIO())

    with (
        created_role("super", "NOLOGIN SUPERUSER") as superuser,
        pytest.raises(CommandError, match="is a superuser"),
    ):
        call_command("grant_app_role", superuser, stdout=io.StringIO())
    with (
        created_role("creator", "NOLOGIN CREATEROLE") as creator,
        pytest.raises(CommandError, match="may create roles"),
    ):
        call_command("grant_app_role", creator, stdout=io.StringIO())
    with created_role("member") as member:
        with connection.cursor() as cursor:
            cursor.execute(f"GRANT {quote_identifier(owner)} TO {quote_identifier(member)}")
        with pytest.raises(CommandError, match="member of its owner"):
            call_command("grant_app_role", member, stdout=io.StringIO())
        assert privileges(member, "casefiles_case") >= {"SELECT"}  # through the owner
    with created_role("owner") as table_owner:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE mcsc_region OWNER TO {quote_identifier(table_owner)}")
        try:
            with pytest.raises(CommandError, match="owns the table mcsc_region"):
                call_command("grant_app_role", table_owner, stdout=io.StringIO())
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE mcsc_region OWNER TO {quote_identifier(owner)}")


def test_without_a_role_the_command_asks_for_one(settings):
    settings.MCSC_DB_APP_ROLE = ""
    with pytest.raises(CommandError, match="MCSC_DB_APP_ROLE"):
        call_command("grant_app_role", stdout=io.StringIO())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite answer")
@pytest.mark.django_db
def test_on_sqlite_the_command_says_roles_are_postgresql_only():
    with pytest.raises(CommandError, match="PostgreSQL only; this database is sqlite"):
        call_command("grant_app_role", "mcsc_app", stdout=io.StringIO())
