"""The audit trail page leaves out the reader's own reads by default; one link shows them."""

import re

import pytest
from django.urls import reverse

from casefiles.audit.chain import audit_record
from casefiles.models import AuditAction, AuditEvent
from mcsc.models import Role
from tests.casefiles.builders import open_case, page_client, team
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def shown(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'<th scope="row" data-label="#">(\d+)</th>', html)}


def count_line(html: str) -> str:
    return " ".join(re.search(r'<p class="result-count"[^>]*>(.*?)</p>', html, re.S)[1].split())


def toggle_link(html: str) -> tuple[str, str]:
    href, text = re.search(r'<p class="own-reads"><a href="([^"]*)">([^<]*)</a>', html).groups()
    return href.replace("&amp;", "&"), text


def test_a_monitor_sees_changes_and_others_reads_but_not_their_own_reads_until_asked():
    t = team("prizren")
    case = open_case(t)
    monitor, colleague = user_with_role(Role.MONITOR), user_with_role(Role.MONITOR)
    client = page_client(monitor)
    for _ in range(3):  # each visit of the case page is a read in the trail
        assert client.get(reverse("casefiles:detail", args=[case.reference])).status_code == 200
    page_client(colleague).get(reverse("casefiles:detail", args=[case.reference]))
    own = set(
        AuditEvent.objects.filter(actor=monitor, action=AuditAction.CASE_MONITOR_VIEW).values_list(
            "sequence", flat=True
        )
    )
    assert len(own) == 3
    everything = set(AuditEvent.objects.values_list("sequence", flat=True))

    html = client.get(reverse("audit:list")).content.decode()
    assert shown(html) == everything - own  # the case's changes and the colleague's read
    assert count_line(html).startswith(f"{len(everything - own)} events.")
    assert "Your own reads are not counted." in count_line(html)
    href, text = toggle_link(html)
    assert text == "Show my own reads"

    html = client.get(reverse("audit:list") + href).content.decode()
    assert shown(html) == everything
    assert count_line(html).startswith(f"{len(everything)} events.")
    href, text = toggle_link(html)
    assert text == "Hide my own reads"
    assert shown(client.get(reverse("audit:list") + href).content.decode()) == everything - own


def test_the_toggle_keeps_the_other_filters_and_is_not_itself_a_filter():
    t = team("prizren")
    case = open_case(t)
    monitor = user_with_role(Role.MONITOR)
    client = page_client(monitor)
    client.get(reverse("casefiles:detail", args=[case.reference]))
    audit_record(actor=t.secretary, action=AuditAction.CASE_UPDATE, case=case)

    html = client.get(reverse("audit:list"), {"case": case.reference}).content.decode()
    href, _text = toggle_link(html)
    assert f"case={case.reference}" in href and "own_reads=on" in href
    html = client.get(reverse("audit:list") + href).content.decode()
    reads = AuditEvent.objects.filter(actor=monitor, action=AuditAction.CASE_MONITOR_VIEW)
    assert reads.get().sequence in shown(html)
    assert "match the filters" in count_line(html)  # the case filter, still applied

    # Showing one's reads alone filters nothing: no "match the filters", no "Clear filters".
    html = client.get(reverse("audit:list"), {"own_reads": "on"}).content.decode()
    assert "match the filters" not in count_line(html) and "Clear filters" not in html


def test_the_api_lists_every_event_as_before():
    t = team("prizren")
    case = open_case(t)
    monitor = user_with_role(Role.MONITOR)
    client = page_client(monitor)
    client.get(reverse("casefiles:detail", args=[case.reference]))
    results = client.get("/api/v1/audit/").json()["results"]
    assert AuditAction.CASE_MONITOR_VIEW in {row["action"] for row in results}
