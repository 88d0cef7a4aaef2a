"""Minutes: PDF/A-3b per official language, approval freezes the bytes, amendments, safe
rendering (static-only fetcher, escaped user text) and rendering failures.

PDF rendering takes a fraction of a second per document: each test renders as few as it
can, and the demo test reads the PDFs the demo stored.
"""

import hashlib
import io
import logging
import shutil
import subprocess

import pytest
import weasyprint
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from casefiles.demo import SCHOOLS_ITEM
from casefiles.models import AuditAction, AuditEvent
from mcsc.councils import minutes as m
from mcsc.councils.meetings import MinutesApproved
from mcsc.councils.selectors import meeting_detail_queryset
from mcsc.councils.services import agenda_item_record, guest_add, meeting_update, minutes_approve
from mcsc.documents import StaticFilesFetcher, static_url
from mcsc.models import (
    AgendaItem,
    AttendanceStatus,
    Language,
    Meeting,
    Minutes,
    MinutesDocument,
    MinutesStatus,
    Role,
)
from tests.factories import api_token_key, user_with_role
from tests.mcsc.conftest import needs_catalogues
from tests.mcsc.meeting_builders import all_present, meeting, members

pytestmark = pytest.mark.django_db


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (Debian package poppler-utils) is not installed")
    return subprocess.run(
        [tool, *args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def pdf_text(path) -> str:
    return poppler("pdftotext", "-enc", "UTF-8", str(path), "-")


def loaded(meeting_row) -> Meeting:
    return meeting_detail_queryset().get(pk=meeting_row.pk)


class SpyFetcher(StaticFilesFetcher):
    """The project's fetcher, recording every URL WeasyPrint asks for."""

    def __init__(self):
        super().__init__(static_dirs=m.PDF_STATIC_DIRS)
        self.asked: list[str] = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        return super().fetch(url, headers)


# --- The demo's Prizren extraordinary meeting -------------------------------------------------


@needs_catalogues
def test_demo_prizren_extraordinary_minutes_are_pdfa_in_each_official_language(tmp_path, client):
    call_command("seed_demo", stdout=io.StringIO())
    meeting_row = Meeting.objects.get(
        municipality__slug="prizren", kind="extraordinary", agenda_items__title=SCHOOLS_ITEM
    )
    minutes = Minutes.objects.get(meeting=meeting_row)
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approved_at_meeting.starts_at > meeting_row.starts_at
    documents = {d.language.code: d for d in minutes.documents.select_related("language")}
    assert list(documents) == ["sq", "sr-Cyrl", "tr", "bs"]  # Prizren's official languages

    texts = {}
    for code, document in documents.items():
        path = tmp_path / f"{code}.pdf"
        path.write_bytes(bytes(document.pdf))
        texts[code] = pdf_text(path)
        meta = poppler("pdfinfo", "-meta", str(path))
        assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
        fonts = poppler("pdffonts", str(path)).splitlines()[2:]
        assert fonts and all("DejaVu" in row for row in fonts)
        # Columns: name type encoding emb sub uni object ID -> "emb" is the 4th from the end.
        assert all(row.split()[-5] == "yes" for row in fonts), fonts

    serbian = texts["sr-Cyrl"]
    for label in ["Записник", "Присуство", "Дневни ред", "Одлуке", "Задужења", "Страна 1 од 2"]:
        assert label in serbian
    assert "Кворум постигнут" in serbian and "Председавајући" in serbian
    assert "Безбедност школа ноћу" in serbian  # the secretary's translation of the item
    turkish = texts["tr"]
    for label in ["Tutanak", "Katılım", "Gündem", "Kararlar", "Yapılacak işler", "Sayfa 1 / 2"]:
        assert label in turkish
    assert "Okulların gece güvenliği" in turkish
    assert "Procesverbal" in texts["sq"] and "Rendi i ditës" in texts["sq"]
    assert "Zapisnik" in texts["bs"] and "Dnevni red" in texts["bs"]
    for text in texts.values():
        # The letterhead is in every official language in every copy.
        assert "Republika e Kosovës" in text and "Република Косово" in text
        assert minutes.reference in text

    # The audit trail holds the SHA-256 of each stored PDF; the download serves those bytes.
    event = AuditEvent.objects.get(action=AuditAction.MINUTES_APPROVE, object_id=meeting_row.pk)
    assert event.payload["sha256"] == {c: d.sha256 for c, d in documents.items()}
    client.force_login(user_with_role(Role.MEMBER, "prizren"))
    response = client.get(
        reverse("mcsc:minutes-pdf", args=[meeting_row.pk, 1, "sr-Cyrl"]),
    )
    assert response.status_code == 200
    assert response.content == bytes(documents["sr-Cyrl"].pdf)
    assert hashlib.sha256(response.content).hexdigest() == event.payload["sha256"]["sr-Cyrl"]

    # An upcoming meeting was scheduled and its invitation sent.
    upcoming = Meeting.objects.filter(
        municipality__slug="prizren", invitation_sent_at__isnull=False
    )
    assert upcoming.exists()


# --- Approval, frozen bytes, amendment ---------------------------------------------------------


@pytest.fixture
def gjilan():
    """A Gjilan council (two official languages: two PDFs per approval)."""
    secretary = user_with_role(Role.SECRETARY, "gjilan")
    leadership = user_with_role(Role.LEADERSHIP, "gjilan")
    people = members(secretary, "gjilan", 5)
    held = meeting(
        secretary, "gjilan", days_ago=20, attendance=all_present(people), chair=people[0]
    )
    approving = meeting(secretary, "gjilan", days_ago=5, attendance=all_present(people))
    return secretary, leadership, held, approving


@needs_catalogues
def test_approval_freezes_the_pdfs_and_an_amendment_creates_version_2(gjilan, client, api_client):
    secretary, leadership, held, approving = gjilan
    item = held.agenda_items.get()
    agenda_item_record(
        user=secretary, item=item, title=item.title, discussion="Calm.", decisions="None."
    )

    with pytest.raises(PermissionDenied):  # the secretary cannot approve
        minutes_approve(user=secretary, meeting=held, approving_meeting=approving)
    v1 = minutes_approve(user=leadership, meeting=held, approving_meeting=approving)
    assert (v1.version, v1.status, v1.approved_at_meeting) == (1, "approved", approving)
    documents = {d.language.code: d for d in v1.documents.select_related("language")}
    assert set(documents) == {"sq", "sr-Cyrl"}
    event = AuditEvent.objects.get(action=AuditAction.MINUTES_APPROVE)
    assert event.payload["sha256"] == {
        code: hashlib.sha256(bytes(d.pdf)).hexdigest() for code, d in documents.items()
    }
    assert event.payload["version"] == 1 and event.to_state == "approved"

    # Page and API download serve exactly the stored bytes, whose hash is in the audit event.
    client.force_login(user_with_role(Role.MONITOR))
    page = client.get(reverse("mcsc:minutes-pdf", args=[held.pk, 1, "sr-Cyrl"]))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(secretary)}")
    api = api_client.get(f"/api/v1/meetings/{held.pk}/minutes/1/sr-Cyrl.pdf")
    assert page.status_code == api.status_code == 200
    assert page["Content-Type"] == api["Content-Type"] == "application/pdf"
    assert page.content == api.content == bytes(documents["sr-Cyrl"].pdf)
    assert hashlib.sha256(api.content).hexdigest() == event.payload["sha256"]["sr-Cyrl"]

    # The approved record is frozen, with a message that says how to amend.
    with pytest.raises(MinutesApproved) as refused:
        meeting_update(
            user=secretary,
            meeting=held,
            kind="regular",
            starts_at=held.starts_at,
            place="Another hall",
        )
    assert "start an amendment" in refused.value.messages[0]
    with pytest.raises(MinutesApproved):
        guest_add(user=secretary, meeting=held, name="Someone")
    client.force_login(secretary)
    response = client.post(
        reverse("mcsc:agenda-item", args=[held.pk, 1]),
        {"title": "Changed", "discussion": "Changed", "decisions": ""},
    )
    assert response.status_code == 409
    assert "start an amendment" in response.content.decode()
    assert AgendaItem.objects.get(pk=item.pk).discussion == "Calm."
    with pytest.raises(ValidationError):  # already approved: no second approval
        minutes_approve(user=leadership, meeting=held, approving_meeting=approving)

    # An amendment is version 2, pointing at version 1; the record is editable again.
    response = client.post(
        reverse("mcsc:minutes-amend", args=[held.pk]), {"reason": "Wrong place recorded."}
    )
    assert response.status_code == 302
    v2 = Minutes.objects.get(meeting=held, version=2)
    assert (v2.status, v2.amends_id, v2.reason) == ("draft", v1.pk, "Wrong place recorded.")
    assert AuditEvent.objects.filter(action=AuditAction.MINUTES_AMEND).count() == 1
    meeting_update(
        user=secretary, meeting=held, kind="regular", starts_at=held.starts_at, place="Hall B"
    )
    # Version 1's stored bytes have not changed.
    again = client.get(reverse("mcsc:minutes-pdf", args=[held.pk, 1, "sr-Cyrl"]))
    assert again.content == bytes(documents["sr-Cyrl"].pdf)

    v2 = minutes_approve(user=leadership, meeting=held, approving_meeting=approving)
    v1.refresh_from_db()
    assert (v1.status, v2.status, v2.version) == ("amended", "approved", 2)
    second = AuditEvent.objects.filter(action=AuditAction.MINUTES_APPROVE).last()
    assert second.payload["version"] == 2 and second.payload["amends_version"] == 1
    stored = MinutesDocument.objects.get(minutes=v2, language__code="sq")
    assert second.payload["sha256"]["sq"] == stored.sha256
    text = m.minutes_html(loaded(held), Language.objects.get(code="sq"), minutes=v2)
    assert "Hall B" in text and "Ky version ndryshon versionin 1." in text


def test_approval_needs_a_later_held_meeting_of_the_same_council(gjilan):
    secretary, leadership, held, _approving = gjilan
    for other in [
        meeting(secretary, "gjilan", days_ago=30),  # before the meeting
        meeting(secretary, "gjilan", days_ago=-3),  # not held yet
        meeting(user_with_role(Role.SECRETARY, "prizren"), "prizren", days_ago=1),
    ]:
        with pytest.raises(ValidationError) as error:
            minutes_approve(user=leadership, meeting=held, approving_meeting=other)
        assert "later meeting of the same council" in str(error.value)
    assert not Minutes.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.MINUTES_APPROVE).exists()


# --- Safe rendering ----------------------------------------------------------------------------

INJECTIONS = [
    '<img src="file:///etc/passwd">',
    "http://127.0.0.1:8000/admin/",
    '<link rel="stylesheet" href="http://127.0.0.1/x.css">',
    "<style>@import url(file:///etc/hostname);</style>",
    "<script>alert(1)</script>",
]


@needs_catalogues
def test_user_text_is_rendered_as_text_and_the_fetcher_only_serves_static_files(tmp_path):
    secretary = user_with_role(Role.SECRETARY, "gjilan")
    people = members(secretary, "gjilan", 3)
    held = meeting(
        secretary,
        "gjilan",
        attendance=all_present(people),
        place='<iframe src="file:///etc/passwd"></iframe>',
    )
    item = held.agenda_items.get()
    agenda_item_record(
        user=secretary,
        item=item,
        title=INJECTIONS[3],
        discussion=f"Statement: {INJECTIONS[0]} and {INJECTIONS[1]}",
        decisions=INJECTIONS[2] + "\n" + INJECTIONS[4],
        translations={"sr-Cyrl": {"discussion": '<img src="http://127.0.0.1/cyr.png">'}},
    )
    guest_add(user=secretary, meeting=held, name='<img src="data:image/png;base64,AAAA">')

    spy = SpyFetcher()
    pdf = m.minutes_pdf(loaded(held), Language.objects.get(code="sq"), url_fetcher=spy)
    assert spy.asked == [static_url(m.STYLESHEET)]
    assert spy.served == spy.asked

    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf)
    text = " ".join(pdf_text(path).split())
    assert '<img src="file:///etc/passwd">' in text
    assert "http://127.0.0.1:8000/admin/" in text
    assert "<script>alert(1)</script>" in text
    assert '<iframe src="file:///etc/passwd"></iframe>' in text
    assert "root:x:0:0" not in text

    html = m.minutes_html(loaded(held), Language.objects.get(code="sr-Cyrl"))
    assert "&lt;img src=&quot;http://127.0.0.1/cyr.png&quot;&gt;" in html
    assert "<img" not in html and "<script" not in html and "<iframe" not in html


def test_a_rendering_failure_keeps_the_record_and_shows_a_clear_error(
    gjilan, client, monkeypatch, caplog
):
    secretary, leadership, held, approving = gjilan

    def broken(*args, **kwargs):
        raise RuntimeError("font subsetting exploded")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    client.force_login(secretary)
    with caplog.at_level(logging.ERROR, logger="mcsc.councils.minutes"):
        response = client.get(reverse("mcsc:minutes-pdf", args=[held.pk, 1, "sq"]))
    assert response.status_code == 503
    assert "could not be generated" in response.content.decode()
    assert "The meeting record is unchanged" in response.content.decode()
    assert "font subsetting exploded" in caplog.text  # the cause is logged with its traceback

    client.force_login(leadership)
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("mcsc:minutes-approve", args=[held.pk]), {"approving_meeting": approving.pk}
    )
    assert response.status_code == 503
    assert "could not be generated" in response.content.decode()
    assert not Minutes.objects.exists() and not MinutesDocument.objects.exists()
    assert AuditEvent.objects.count() == events
    held.refresh_from_db()
    assert held.agenda_items.count() == 1 and held.attendance.count() == 5


# --- What the minutes say ----------------------------------------------------------------------


@needs_catalogues
def test_decisions_without_quorum_are_flagged_in_the_minutes_and_on_the_page(client):
    secretary = user_with_role(Role.SECRETARY, "gjilan")
    people = members(secretary, "gjilan", 5)
    held = meeting(secretary, "gjilan", attendance=all_present(people, absent=3))
    html = m.minutes_body_html(loaded(held), Language.objects.get(code="en"))
    assert "No quorum" in html and "2 of 5 members present; 3 needed." in html
    assert "taken without quorum" in html
    serbian = m.minutes_html(loaded(held), Language.objects.get(code="sr-Cyrl"))
    assert "Нема кворума" in serbian and "донете без кворума" in serbian

    client.force_login(secretary)
    page = client.get(reverse("mcsc:meeting", args=[held.pk])).content.decode()
    assert "No quorum" in page and "cannot count as the council convening on a case" in page


@needs_catalogues
def test_the_document_has_page_numbers_reference_and_version_in_its_language():
    secretary = user_with_role(Role.SECRETARY, "gjilan")
    people = members(secretary, "gjilan", 3)
    held = meeting(
        secretary, "gjilan", attendance={people[0]: AttendanceStatus.PRESENT}, chair=people[0]
    )
    html = m.minutes_html(loaded(held), Language.objects.get(code="sr-Cyrl"))
    assert 'lang="sr-Cyrl"' in html
    assert '"Страна " counter(page) " од " counter(pages)' in html
    assert held.minutes_reference in html and "верзија 1" in html
    assert "НАЦРТ" in html  # the draft watermark
    assert "Председавајући" in html and "Секретар" in html  # signature lines
    turkish = m.minutes_html(loaded(held), Language.objects.get(code="tr"))
    assert '"Sayfa " counter(page) " / " counter(pages)' in turkish


def test_css_strings_cannot_escape_the_style_element():
    assert m.css_string('a"b</style><img>') == '"a\\22 b\\3c /style\\3e \\3c img\\3e "'
