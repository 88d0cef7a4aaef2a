"""Seeding of the reference data shipped in ``mcsc/data/reference.json``.

Used by the data migration (with historical models) and by ``manage.py seed_reference``.
Existing rows are left as administrators corrected them unless ``update=True``.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps as global_apps
from django.db import transaction

REFERENCE_FILE = Path(__file__).resolve().parent / "data" / "reference.json"


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], model: str) -> None:
        bucket[model] = bucket.get(model, 0) + 1

    def __str__(self) -> str:
        def fmt(bucket: dict[str, int]) -> str:
            return ", ".join(f"{n} {m}" for m, n in bucket.items()) or "nothing"

        return f"created {fmt(self.created)}; updated {fmt(self.updated)}"


def load_reference() -> dict:
    return json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))


def _upsert(model, report: SeedReport, *, lookup: dict, values: dict, update: bool):
    # The data migration runs with historical models, which may lack fields added later.
    known = {f.name for f in model._meta.get_fields()}
    values = {k: v for k, v in values.items() if k in known}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        report.count(report.created, model._meta.verbose_name_plural)
        return model.objects.create(**lookup, **values), True
    if update:
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            obj.save(update_fields=changed)
            report.count(report.updated, model._meta.verbose_name_plural)
    return obj, False


@transaction.atomic
def reference_seed(*, apps=global_apps, update: bool = False) -> SeedReport:
    data = load_reference()
    Region = apps.get_model("mcsc", "Region")
    Language = apps.get_model("mcsc", "Language")
    Community = apps.get_model("mcsc", "Community")
    Municipality = apps.get_model("mcsc", "Municipality")
    report = SeedReport()

    regions = {}
    for row in data["regions"]:
        values = {k: v for k, v in row.items() if k != "code"}
        regions[row["code"]], _ = _upsert(
            Region, report, lookup={"code": row["code"]}, values=values, update=update
        )
    languages = {}
    for row in data["languages"]:
        values = {k: v for k, v in row.items() if k != "code"}
        languages[row["code"]], _ = _upsert(
            Language, report, lookup={"code": row["code"]}, values=values, update=update
        )
    communities = {}
    for row in data["communities"]:
        values = {k: v for k, v in row.items() if k not in {"code", "language"}}
        values["language"] = languages[row["language"]]
        communities[row["code"]], _ = _upsert(
            Community, report, lookup={"code": row["code"]}, values=values, update=update
        )
    for row in data["municipalities"]:
        m2m = {
            "official_languages": row["official_languages"],
            "languages_in_official_use": row["languages_in_official_use"],
        }
        values = {
            k: v for k, v in row.items() if k not in {"code", "region", "majority_community", *m2m}
        }
        values["region"] = regions[row["region"]]
        values["majority_community"] = communities[row["majority_community"]]
        municipality, created = _upsert(
            Municipality, report, lookup={"code": row["code"]}, values=values, update=update
        )
        if created or update:
            for name, codes in m2m.items():
                getattr(municipality, name).set([languages[c] for c in codes])
    return report
