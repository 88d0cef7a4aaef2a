"""How long the minutes of a big meeting take to render, and how much of it is WeasyPrint.

    .venv/bin/python bench/minutes_render.py [--runs 7]

Builds, in a throwaway in-memory SQLite database, a Prizren council meeting with 30 agenda
items (discussion and decisions each), 25 members present, guests and action items. Then
it times, N times each after one warm-up run:

- project:   ``mcsc.councils.minutes.minutes_pdf`` on a freshly loaded meeting: the selector's
             queries, the template in the document's language, WeasyPrint with the
             static-only URL fetcher, PDF/A-3b;
- weasyprint alone: ``weasyprint.HTML(string=html).write_pdf()`` on the same HTML, with
             the stylesheet inlined (no fetcher, no PDF/A);
- weasyprint + PDF/A-3b: the same with ``pdf_variant="pdf/a-3b"``, to tell the PDF/A
             cost from the project's own.

It prints the medians and the ratio project / WeasyPrint alone. The three take turns in each round.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

import weasyprint
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone

from mcsc.councils import minutes
from mcsc.councils.selectors import meeting_detail_queryset
from mcsc.councils.services import (
    action_item_add,
    agenda_item_record,
    council_member_add,
    guest_add,
    meeting_attendance_record,
    meeting_create,
)
from mcsc.models import AttendanceStatus, Language, Municipality, Role, Seat
from mcsc.services import role_assign

ITEMS = 30
ATTENDEES = 25
DISCUSSION = (
    "Komandanti i stacionit policor informoi për gjendjen e sigurisë në lagje. Anëtarët "
    "diskutuan ndikimin e incidenteve në ndjenjën e sigurisë së komuniteteve, ndriçimin "
    "rrugor, patrullimet e natës dhe bashkëpunimin me shkollat. Përfaqësuesit e "
    "komuniteteve turk, boshnjak dhe rom kërkuan informim të rregullt. "
)
DECISIONS = (
    "1. Policia e Kosovës rrit patrullimet gjatë natës.\n"
    "2. Drejtoria e Shërbimeve Publike rregullon ndriçimin.\n"
    "3. Këshilli e rishikon çështjen në mbledhjen e ardhshme."
)


def build_meeting():
    call_command("migrate", verbosity=0)
    if shutil.which("msgfmt"):
        call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
    prizren = Municipality.objects.get(slug="prizren")
    secretary = get_user_model().objects.create_user(
        "bench.secretary", first_name="Arta", last_name="Krasniqi"
    )
    role_assign(user=secretary, role=Role.SECRETARY, municipality=prizren)
    seats = list(Seat.values)
    members = [
        council_member_add(
            user=secretary,
            municipality=prizren,
            name=f"Anëtari {i:02d} Ğ Ç Ş Ђ Ж",
            seat=seats[i % len(seats)],
            appointed_on=dt.date(2024, 1, 1),
            appointment_reference=f"01-016/2024-{i}",
        )
        for i in range(ATTENDEES)
    ]
    meeting = meeting_create(
        user=secretary,
        municipality=prizren,
        kind="regular",
        starts_at=timezone.now() - dt.timedelta(days=3),
        place="Salla e Kuvendit Komunal, Prizren",
        agenda=[{"title": f"Pika {i + 1}: gjendja e sigurisë"} for i in range(ITEMS)],
        chair=members[0],
    )
    meeting_attendance_record(
        user=secretary,
        meeting=meeting,
        attendance={m.pk: AttendanceStatus.PRESENT for m in members},
    )
    for item in meeting.agenda_items.order_by("position"):
        agenda_item_record(
            user=secretary,
            item=item,
            title=item.title,
            discussion=DISCUSSION * 2,
            decisions=DECISIONS,
        )
        if item.position % 3 == 0:
            action_item_add(
                user=secretary,
                meeting=meeting,
                agenda_item=item,
                description="Patrullime të natës pranë shkollës",
                owner="Policia e Kosovës",
                due_on=timezone.localdate() + dt.timedelta(days=30),
            )
    for name in ("Hannah Schmidt", "Luca Moretti", "Selma Hodžić"):
        guest_add(user=secretary, meeting=meeting, name=name, organisation="OSCE")
    return meeting.pk


def timed(functions: dict, runs: int) -> dict[str, list[float]]:
    """Run each function once to warm up, then ``runs`` rounds, taking turns, so that
    drift in the machine's load affects all of them alike."""
    for function in functions.values():
        function()  # fonts, templates, translation catalogues
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--language", default="sr-Cyrl")
    args = parser.parse_args()

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        pk = build_meeting()
    language = Language.objects.get(code=args.language)

    def project() -> bytes:
        return minutes.minutes_pdf(meeting_detail_queryset().get(pk=pk), language)

    html = minutes.minutes_html(meeting_detail_queryset().get(pk=pk), language)
    stylesheet = (ROOT / "static" / minutes.STYLESHEET).read_text(encoding="utf-8")
    link = f'<link rel="stylesheet" href="{minutes.pdf_static_url(minutes.STYLESHEET)}">'
    assert link in html
    standalone = html.replace(link, f"<style>{stylesheet}</style>")

    def weasyprint_alone() -> bytes:
        return weasyprint.HTML(string=standalone).write_pdf()

    def weasyprint_pdfa() -> bytes:
        return weasyprint.HTML(string=standalone).write_pdf(pdf_variant=minutes.PDF_VARIANT)

    pages = len(weasyprint.HTML(string=standalone).render().pages)
    results = timed(
        {
            "project (minutes_pdf)": project,
            "weasyprint alone": weasyprint_alone,
            "weasyprint + PDF/A-3b": weasyprint_pdfa,
        },
        args.runs,
    )
    print(
        f"Minutes of a meeting with {ITEMS} agenda items and {ATTENDEES} attendees, "
        f"{language.code}, {pages} pages; median of {args.runs} runs after a warm-up"
    )
    medians = {name: statistics.median(times) for name, times in results.items()}
    for name, median in medians.items():
        spread = f"{min(results[name]) * 1000:.0f}-{max(results[name]) * 1000:.0f} ms"
        print(f"  {name:<24} {median * 1000:8.1f} ms   (range {spread})")
    ratio = medians["project (minutes_pdf)"] / medians["weasyprint alone"]
    pdfa = medians["weasyprint + PDF/A-3b"] / medians["weasyprint alone"]
    print(f"  ratio project / weasyprint alone: {ratio:.2f}")
    print(f"  ratio weasyprint + PDF/A-3b / weasyprint alone: {pdfa:.2f}")


if __name__ == "__main__":
    main()
