from django.db import migrations


def seed(apps, schema_editor):
    from mcsc.reference import reference_seed

    reference_seed(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("mcsc", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
