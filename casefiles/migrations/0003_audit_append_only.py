"""On PostgreSQL, refuse UPDATE, DELETE and TRUNCATE of audit events.

A database-level setting ``mcsc.audit_maintenance = on`` lifts the guard; only the test
database sets it (so that test isolation can truncate tables), never production.
"""

from django.db import migrations

CREATE = """
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

CREATE TRIGGER casefiles_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON casefiles_auditevent
    FOR EACH ROW EXECUTE FUNCTION casefiles_audit_append_only();
CREATE TRIGGER casefiles_auditevent_no_truncate
    BEFORE TRUNCATE ON casefiles_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION casefiles_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS casefiles_auditevent_no_update_delete ON casefiles_auditevent;
DROP TRIGGER IF EXISTS casefiles_auditevent_no_truncate ON casefiles_auditevent;
DROP FUNCTION IF EXISTS casefiles_audit_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("casefiles", "0002_links_to_meetings")]

    operations = [migrations.RunPython(create, drop)]
