"""A screen reader's list of links and buttons: one name, one target.

A reader who tabs through a page or lists its links and buttons hears only their accessible
names; "Release", "Release", "Release" leading to three different tasks are useless to them.
The pages every demo role reaches from its home page are parsed, and two links or buttons
with the same name but different targets on one page fail the test.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from workflows.selectors import open_tasks_for_user
from workflows.services import task_claim

pytestmark = pytest.mark.django_db

# The pages of the product a user works in; API, admin, downloads and PDFs are not pages.
CRAWLED = ("/cases/", "/tasks/", "/council/", "/audit/", "/compliance/", "/accounts/security/")
SKIPPED = re.compile(r"/(export|pdf|download|feed)|\.(csv|xlsx|pdf|atom)$")
PAGES_PER_USER = 60

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Controls(HTMLParser):
    """The links and buttons of a page, each with its accessible name and its target.

    The name follows the accessible name computation as far as the product's markup needs:
    aria-label, else aria-labelledby, else the text inside (visually hidden text included,
    aria-hidden subtrees and <script> left out, an image by its alt text). The target of a
    link is its address, of a button its form's method, action and values sent.
    """

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.stack: list[dict] = []  # open elements: tag, hidden, collecting controls
        self.texts_by_id: dict[str, list[str]] = defaultdict(list)
        self.open_ids: list[str] = []
        self.controls: list[dict] = []
        self.collecting: list[dict] = []
        self.form: dict | None = None

    def _hidden(self) -> bool:
        return any(element["hidden"] for element in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = {
                "action": urljoin(self.url, a.get("action") or self.url),
                "method": (a.get("method") or "get").lower(),
                "values": [],
            }
        if tag == "input" and self.form is not None:
            if a.get("type") == "hidden" and a.get("name") != "csrfmiddlewaretoken":
                self.form["values"].append((a.get("name"), a.get("value")))
            if a.get("type") in ("submit", "image") and not self._hidden():
                self._control("button", a, text=a.get("value") or a.get("alt") or "")
        if tag == "img" and not self._hidden():
            self._text(a.get("alt") or "")
        if tag in VOID:
            return
        hidden = a.get("aria-hidden") == "true" or tag in ("script", "style", "template")
        # A closed <details> shows its summary only: the rest is out of the reader's reach.
        parent = self.stack[-1] if self.stack else {}
        hidden = hidden or (parent.get("closed") and tag != "summary")
        element = {"tag": tag, "hidden": hidden, "id": a.get("id")}
        element["closed"] = tag == "details" and "open" not in a
        self.stack.append(element)
        if a.get("id"):
            self.open_ids.append(a["id"])
            element["tracks_id"] = True
        if ((tag == "a" and a.get("href") is not None) or tag == "button") and not self._hidden():
            element["control"] = self._control(tag, a)

    def _control(self, tag, a, text=None):
        if tag == "a":
            target = ("link", urljoin(self.url, a["href"]))
        elif a.get("type") == "button":
            target = ("toggle", a.get("aria-controls"))
        else:
            form = self.form or {"action": self.url, "method": "get", "values": []}
            sent = (*form["values"], (a.get("name"), a.get("value")))
            target = (form["method"], a.get("formaction") or form["action"], sent)
        control = {
            "tag": tag,
            "label": a.get("aria-label"),
            "labelledby": a.get("aria-labelledby"),
            "text": [text] if text is not None else [],
            "target": target,
        }
        self.controls.append(control)
        if text is None:
            self.collecting.append(control)
        return control

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        if tag in VOID:
            return
        while self.stack:
            element = self.stack.pop()
            if element.get("tracks_id"):
                self.open_ids.remove(element["id"])
            if element.get("control") in self.collecting:
                self.collecting.remove(element["control"])
            if element["tag"] == tag:
                break

    def handle_data(self, data):
        if not self._hidden():
            self._text(data)

    def _text(self, data):
        for control in self.collecting:
            control["text"].append(data)
        for element_id in self.open_ids:
            self.texts_by_id[element_id].append(data)

    def named(self) -> list[tuple[str, tuple]]:
        def clean(text):
            return re.sub(r"\s+", " ", text).strip().casefold()

        result = []
        for control in self.controls:
            if control["label"]:
                name = control["label"]
            elif control["labelledby"]:
                name = " ".join("".join(self.texts_by_id[i]) for i in control["labelledby"].split())
            else:
                name = "".join(control["text"])
            result.append((clean(name), control["target"]))
        return result


def clashes(url: str, page: str) -> list[str]:
    """Names shared by links or buttons with different targets on the page."""
    parser = Controls(url)
    parser.feed(page)
    targets = defaultdict(set)
    for name, target in parser.named():
        if target[0] == "link":
            target = ("link", target[1].split("#")[0] or url)  # an anchor on the same page
        targets[name].add(target)
    return [
        f"{url}: {name!r} leads to {len(found)} places: {sorted(map(str, found))[:3]}"
        for name, found in targets.items()
        if len(found) > 1
    ]


def _links(url: str, page: str) -> set[str]:
    found = set()
    for href in re.findall(r'<a [^>]*href="([^"#]*)', page):
        parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
        if parts.netloc not in ("", "testserver") or SKIPPED.search(parts.path):
            continue
        if parts.path == "/" or parts.path.startswith(CRAWLED):
            found.add(parts.path)  # one visit per page, whatever its filters
    return found


def test_the_parser_names_controls_as_a_screen_reader_does():
    page = "".join(
        [
            '<a href="/a/">Open <span class="visually-hidden">PZ-1</span></a>',
            '<a href="/b/">Open<span aria-hidden="true"> ⇢</span> ',
            '<span class="visually-hidden">PZ-1</span></a>',
            '<form method="post" action="/t/1/"><button>Release</button></form>',
            '<form method="post" action="/t/2/">',
            '<button aria-label="Release 2">Release</button></form>',
            '<span id="x">Claim PZ-3</span>',
            '<form method="post" action="/t/3/"><button aria-labelledby="x">Claim</button></form>',
            '<form method="post" action="/t/4/"><button>Claim</button></form>',
            '<a href="/c/#top">Cases</a><a href="/c/">Cases</a>',
            # Only one closed disclosure's content is ever in reach.
            '<details><summary>Drop… PZ-5</summary><form method="post" action="/a/5/">',
            "<button>Drop</button></form></details>",
            '<details><summary>Drop… PZ-6</summary><form method="post" action="/a/6/">',
            "<button>Drop</button></form></details>",
        ]
    )
    found = clashes("/", page)
    assert len(found) == 1 and "'open pz-1'" in found[0]


def test_no_two_links_or_buttons_of_a_page_share_a_name_but_not_a_target():
    call_command("seed_demo")
    # A secretary who claimed two tasks has two "Release" buttons and two "Open" links.
    secretary = get_user_model().objects.get(username="secretary.prizren")
    claimable = [t for t in open_tasks_for_user(user=secretary) if t.owner_id is None]
    assert len(claimable) >= 2
    for task in claimable[:2]:
        task_claim(user=secretary, task=task)
    problems = []
    for user in get_user_model().objects.filter(is_active=True).order_by("username"):
        client = Client()
        client.force_login(user)
        seen, queue = set(), ["/"]
        while queue and len(seen) < PAGES_PER_USER:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            page = response.content.decode()
            if user == secretary and path == "/tasks/":
                assert page.count("Release") >= 2  # the repeated buttons are on the page
            problems += [f"{user.username} {problem}" for problem in clashes(path, page)]
            queue += sorted(_links(path, page) - seen)
        assert len(seen) > 3, f"{user.username} reached no pages"
    assert not problems, "\n".join(sorted(set(problems)))
