"""What the application's database role may do, so that it can append audit events but never
change or remove them (PostgreSQL).

Production uses two roles (README, "Database roles"):

- the **owner role** runs ``manage.py migrate`` and owns every table. Only a table's owner
  (or a superuser) can disable or drop a trigger, so only it could ever get past the
  append-only trigger of ``casefiles_auditevent``, and only by disabling or dropping the
  trigger first, which is DDL and visible;
- the **application role** is what the web app connects as. ``app_role_grant`` gives it
  SELECT, INSERT, UPDATE and DELETE on every ordinary table, SELECT and INSERT on the audit
  events, SELECT, INSERT and UPDATE on the audit head (which every append updates), USAGE
  and SELECT on the sequences, and nothing else: no TRUNCATE, TRIGGER or REFERENCES
  anywhere, and never ownership. It refuses a role that could undo this: a superuser, the
  owner of a table, a member of an owner, or a role that may create roles.

The grants cover the tables that exist now: run it again after every migration (a new table
is otherwise refused to the application, loudly).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

AUDIT_EVENT_TABLE = "casefiles_auditevent"
AUDIT_HEAD_TABLE = "casefiles_audithead"
ORDINARY_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
TABLE_PRIVILEGES: dict[str, tuple[str, ...]] = {
    AUDIT_EVENT_TABLE: ("SELECT", "INSERT"),
    AUDIT_HEAD_TABLE: ("SELECT", "INSERT", "UPDATE"),
}
SEQUENCE_PRIVILEGES = ("USAGE", "SELECT")


class AppRoleError(Exception):
    """The role cannot be the application's role (or the database is not PostgreSQL)."""


@dataclass(frozen=True)
class GrantReport:
    role: str
    schema: str
    tables: int
    sequences: int


def app_role_problems(role: str) -> list[str]:
    """Why ``role`` must not be the application's role; empty when it may be."""
    if connection.vendor != "postgresql":
        return [
            _("Database roles exist on PostgreSQL only; this database is %(vendor)s.")
            % {"vendor": connection.vendor}
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolname = current_user FROM pg_roles "
            "WHERE rolname = %s",
            [role],
        )
        found = cursor.fetchone()
        if found is None:
            return [_("There is no database role “%(role)s”.") % {"role": role}]
        superuser, createrole, is_current = found
        problems = []
        if is_current:
            problems.append(
                _(
                    "“%(role)s” is the role running this command, which owns the tables; "
                    "the application needs a role of its own."
                )
                % {"role": role}
            )
        if superuser:
            problems.append(
                _("“%(role)s” is a superuser, to whom no privilege applies.") % {"role": role}
            )
        if createrole:
            problems.append(
                _("“%(role)s” may create roles, and so make itself a member of the owner.")
                % {"role": role}
            )
        cursor.execute(
            "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace "
            "AND c.relkind IN ('r', 'p') AND pg_has_role(%s, c.relowner, 'MEMBER') "
            "ORDER BY c.relname LIMIT 1",
            [role],
        )
        owned = cursor.fetchone()
        if owned is not None and not is_current:
            problems.append(
                _(
                    "“%(role)s” owns the table %(table)s or is a member of its owner "
                    "“%(owner)s”, and could disable the audit trail's trigger."
                )
                % {"role": role, "table": owned[0], "owner": owned[1]}
            )
    return problems


def quote_identifier(name: str) -> str:
    """``name`` as a PostgreSQL identifier, whatever characters it holds."""
    return '"' + name.replace('"', '""') + '"'


def _relations(cursor, kinds: tuple[str, ...]) -> list[str]:
    cursor.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
        "AND relkind = ANY(%s) ORDER BY relname",
        [list(kinds)],
    )
    return [name for (name,) in cursor.fetchall()]


@transaction.atomic
def app_role_grant(*, role: str) -> GrantReport:
    """Give ``role`` exactly the application's privileges on every table and sequence of the
    current schema, taking away anything else first. Idempotent; one transaction."""
    problems = app_role_problems(role)
    if problems:
        raise AppRoleError(" ".join(problems))
    quote = quote_identifier
    grantee = quote(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
        cursor.execute(f"GRANT USAGE ON SCHEMA {quote(schema)} TO {grantee}")
        tables = _relations(cursor, ("r", "p"))
        for table in tables:
            privileges = ", ".join(TABLE_PRIVILEGES.get(table, ORDINARY_PRIVILEGES))
            cursor.execute(f"REVOKE ALL ON TABLE {quote(table)} FROM {grantee}")
            cursor.execute(f"GRANT {privileges} ON TABLE {quote(table)} TO {grantee}")
        # Belt and braces: nobody gets these through PUBLIC either (migration 0009 too).
        cursor.execute(
            f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {AUDIT_EVENT_TABLE} "
            "FROM PUBLIC"
        )
        cursor.execute(
            f"REVOKE DELETE, TRUNCATE, TRIGGER, REFERENCES ON {AUDIT_HEAD_TABLE} FROM PUBLIC"
        )
        sequences = _relations(cursor, ("S",))
        for sequence in sequences:
            cursor.execute(f"REVOKE ALL ON SEQUENCE {quote(sequence)} FROM {grantee}")
            cursor.execute(
                f"GRANT {', '.join(SEQUENCE_PRIVILEGES)} ON SEQUENCE {quote(sequence)} TO {grantee}"
            )
    return GrantReport(role=role, schema=schema, tables=len(tables), sequences=len(sequences))
