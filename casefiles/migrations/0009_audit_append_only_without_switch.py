"""On PostgreSQL, audit events are append-only for every role, with no switch.

Migration 0003's trigger function let any session lift the guard with
``SET LOCAL mcsc.audit_maintenance = 'on'``. This one replaces the function with one that
refuses UPDATE, DELETE and TRUNCATE always, whoever asks (the table owner and superusers
included: the trigger fires for them too). Only a role that owns the table can get past it,
and only by disabling or dropping the trigger first, which is DDL and leaves a trace.

It also revokes the right to change or remove audit rows from PUBLIC and, when the setting
``MCSC_DB_APP_ROLE`` names an existing role, from that application role; the head row
(``casefiles_audithead``) is updated on every append, so there only DELETE and TRUNCATE
are revoked. ``manage.py grant_app_role`` grants the application role exactly what it
needs (README, "Database roles").
"""

from django.conf import settings
from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION casefiles_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'audit events are append-only: ' || TG_OP || ' refused on ' || TG_TABLE_NAME,
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# Migration 0003's function, for going back.
WITH_SWITCH = """
CREATE OR REPLACE FUNCTION casefiles_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('mcsc.audit_maintenance', true), '') = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'audit events are append-only: ' || TG_OP || ' refused on ' || TG_TABLE_NAME,
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

REVOKE = """
REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON casefiles_auditevent FROM {grantee};
REVOKE DELETE, TRUNCATE, TRIGGER, REFERENCES ON casefiles_audithead FROM {grantee};
"""


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute(APPEND_ONLY)
    schema_editor.execute(REVOKE.format(grantee="PUBLIC"))
    role = getattr(settings, "MCSC_DB_APP_ROLE", "")
    if role:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            exists = cursor.fetchone() is not None
        if exists:
            grantee = '"' + role.replace('"', '""') + '"'
            schema_editor.execute(REVOKE.format(grantee=grantee))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WITH_SWITCH)


class Migration(migrations.Migration):
    dependencies = [("casefiles", "0008_caseperson_anonymised_at")]

    operations = [migrations.RunPython(forwards, backwards)]
