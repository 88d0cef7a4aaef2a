"""A reader of Albanian, Serbian, Turkish or Bosnian meets no English on the product's main
pages: every visible text (and every label a screen reader announces) that the catalogues
translate appears translated. Text users typed, and text marked with another ``lang`` (the
language menu, statements in their own language), is not the interface's."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from casefiles.models import CaseState
from mcsc.models import Role
from tests.casefiles.builders import case_in, held_meeting, team
from tests.factories import user_with_role
from tests.test_catalogues import CODES, entries

pytestmark = pytest.mark.django_db

LANGUAGES = {"sq": "sq", "sr": "sr", "sr_Latn": "sr-latn", "tr": "tr", "bs": "bs"}
ANNOUNCED = ("aria-label", "title", "placeholder", "alt")


class VisibleText(HTMLParser):
    """Text nodes and announced attributes, with the ``lang`` they are in."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "area", "col", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.skip = 0
        self.texts: list[tuple[str, str]] = []

    def lang(self) -> str:
        return next((lang for _tag, lang in reversed(self.stack) if lang), "")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style", "textarea", "pre", "code"}:
            self.skip += 1
        lang = attrs.get("lang")
        for name in ANNOUNCED:
            if attrs.get(name):
                self.texts.append((lang or self.lang(), attrs[name]))
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.texts.append((lang or self.lang(), attrs["value"]))
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        if tag in {"script", "style", "textarea", "pre", "code"}:
            self.skip = max(0, self.skip - 1)
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skip:
            self.texts.append((self.lang(), text))


def untranslated_english(code: str) -> set[str]:
    """The catalogue's msgids (whole texts, no placeholders) whose translation differs."""
    found = set()
    for msgid, plural, strings, _flags in entries(code):
        if plural or re.search(r"%|\{|<", msgid) or strings[0].strip() == msgid.strip():
            continue
        text = " ".join(msgid.split())
        if len(text) >= 3 and re.search(r"[a-z]", text):
            found.add(text)
    return found


def pages(client_for) -> list[tuple[Client, str]]:
    t = team()
    cases = {state: case_in(t, state) for state in CaseState.values}
    held_meeting(t, cases[CaseState.VERIFIED])
    monitor = user_with_role(Role.MONITOR)
    secretary, leadership = client_for(t.secretary), client_for(t.leadership)
    anonymous = Client()
    urls = [
        (secretary, reverse("home")),
        (secretary, reverse("casefiles:list")),
        (secretary, reverse("casefiles:new")),
        (secretary, reverse("workflows:inbox")),
        (leadership, reverse("home")),
        (secretary, reverse("mcsc:council")),
        (client_for(monitor), reverse("compliance:dashboard")),
        (client_for(monitor), reverse("audit:list")),
        (anonymous, reverse("login")),
        (anonymous, reverse("public:index")),
        (anonymous, reverse("public:municipality", args=["prizren"])),
    ]
    steps = {
        CaseState.REPORTED: ["verify", "dismiss"],
        CaseState.VERIFIED: ["convene"],
        CaseState.COUNCIL_CONVENED: ["draft_statement"],
        CaseState.STATEMENT_APPROVED: ["publish"],
        CaseState.STATEMENT_PUBLISHED: ["record_outreach"],
        CaseState.OUTREACH_CONDUCTED: ["start_follow_up"],
        CaseState.FOLLOW_UP: ["close"],
    }
    for state, case in cases.items():
        urls.append((secretary, reverse("casefiles:detail", args=[case.reference])))
        urls += [
            (secretary, reverse("casefiles:step", args=[case.reference, step]))
            for step in steps.get(state, [])
        ]
    drafted = cases[CaseState.STATEMENT_DRAFTED]
    urls.append((leadership, reverse("casefiles:step", args=[drafted.reference, "approve"])))
    urls.append((leadership, reverse("casefiles:step", args=[drafted.reference, "reject"])))
    approved = cases[CaseState.STATEMENT_APPROVED]
    urls.append((secretary, reverse("casefiles:translation", args=[approved.reference, "sr-Cyrl"])))
    meeting = cases[CaseState.COUNCIL_CONVENED].convened_meeting
    urls.append((secretary, reverse("mcsc:meeting", args=[meeting.pk])))
    urls.append((secretary, reverse("mcsc:minutes-preview", args=[meeting.pk])))
    published = cases[CaseState.STATEMENT_PUBLISHED]
    urls.append((anonymous, f"/public/prizren/statements/{published.reference}/sq/"))
    urls.append((anonymous, reverse("public:statistics", args=["prizren", 2026])))
    return urls


def test_no_english_interface_text_on_the_main_pages_in_any_language():
    clients = {}

    def client_for(user):
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        return clients[user.pk]

    visits = pages(client_for)
    problems = []
    for code in CODES:
        language = LANGUAGES[code]
        english = untranslated_english(code)
        for client in {id(c): c for c, _url in visits}.values():
            client.post(reverse("set_language"), {"language": language, "next": "/"})
        for client, url in visits:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (url, response.status_code)
            parser = VisibleText()
            parser.feed(response.content.decode())
            for lang, text in parser.texts:
                if lang and lang.lower() != language and not lang.lower().startswith(language):
                    continue
                if text in english:
                    problems.append(f"{language} {url}: {text!r}")
    unique = sorted(set(problems))
    assert not unique, f"{len(unique)} English texts:\n" + "\n".join(unique[:80])
