"""The interface catalogues: complete, faithful to their msgids, in the right script, in
step with the source (``makemessages`` adds no msgid) and with the glossary."""

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CODES = ["sq", "sr", "sr_Latn", "tr", "bs"]
PLACEHOLDER = re.compile(r"%\([a-zA-Z_]\w*\)[sdfr]|%[sdfr]|\{\w*\}|</?[a-zA-Z][^>]*>")
# Latin that Serbian Cyrillic text may carry: placeholders, markup, URLs, and acronyms and
# codes that are written in Latin in every language.
LATIN_ALLOWED = re.compile(
    r"%\([a-zA-Z_]\w*\)[sdfr]|%[sdfr]|\{\w*\}|<[^>]*>|&[a-z]+;|https?://\S+"
    r"|\b(?:PDF/A-3b|PDF/A|PDF|CSV|XLSX|API|JSON|SVG|TOTP|URL|HTTPS?|ID|UTC|Atom|SHA-256|REST|"
    r"OpenAPI|Swagger|BCP|ISO|QR|2FA|otpauth|GNU Affero General Public License)\b"
)
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def entries(code: str):
    """(msgid, msgid_plural or None, [msgstr...], flags) for each live entry."""
    text = (ROOT / "locale" / code / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fields: dict[str, str] = {}
        key = None
        flags = ""
        for line in lines:
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
            else:
                key, _, rest = line.partition(" ")
                fields[key] = rest[1:-1]
        if fields.get("msgid"):
            strings = [v for k, v in fields.items() if k.startswith("msgstr")]
            yield fields["msgid"], fields.get("msgid_plural"), strings, flags


def latin_words(text: str, source: str) -> list[str]:
    rest = LATIN_ALLOWED.sub("", text)
    words = re.findall(r"[A-Za-zČčĆćŠšŽžĐđ]{2,}", rest)
    return [word for word in words if word not in source]  # codes and names from the msgid


@pytest.mark.parametrize("code", CODES)
def test_every_entry_is_translated_faithfully_in_the_right_script(code):
    problems = []
    for msgid, plural, strings, flags in entries(code):
        if "fuzzy" in flags:
            problems.append(f"fuzzy: {msgid!r}")
        allowed = set(PLACEHOLDER.findall(msgid)) | set(PLACEHOLDER.findall(plural or ""))
        for text in strings:
            if not text:
                problems.append(f"empty: {msgid!r}")
                continue
            found = PLACEHOLDER.findall(text)
            if plural is None and sorted(found) != sorted(PLACEHOLDER.findall(msgid)):
                problems.append(f"placeholders differ: {msgid!r} -> {text!r}")
            elif plural is not None and not set(found) <= allowed:
                problems.append(f"unknown placeholder: {msgid!r} -> {text!r}")
            if code == "sr" and (words := latin_words(text, msgid + (plural or ""))):
                problems.append(f"Latin in Serbian Cyrillic {words}: {text!r}")
            if code == "sr_Latn" and CYRILLIC.search(text):
                problems.append(f"Cyrillic in Serbian Latin: {text!r}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


def fold(word: str) -> str:
    """Lower case without combining marks (Turkish "İ" lowers to "i" plus a dot)."""
    return "".join(ch for ch in unicodedata.normalize("NFD", word.casefold()) if ch.isalpha())


def glossary() -> dict[str, dict[str, str]]:
    lines = (ROOT / "locale" / "GLOSSARY.md").read_text().splitlines()
    header = next(line for line in lines if line.startswith("| English"))
    codes = re.findall(r"\((\w+(?:-\w+)?)\)", header)
    rows = {}
    for line in lines[lines.index(header) + 2 :]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0]] = dict(zip([c.replace("-", "_") for c in codes], cells[1:], strict=True))
    return rows


@pytest.mark.parametrize("code", CODES)
def test_the_catalogue_uses_the_glossarys_terms(code):
    terms = glossary()
    assert len(terms) > 50
    catalogue = {msgid.lower(): strings[0] for msgid, plural, strings, _f in entries(code)}
    checked, wrong = 0, []
    for term, translations in terms.items():
        english = term.split(" (")[0].lower()
        if english not in catalogue:
            continue
        checked += 1
        # The stem of the glossary's longest word, so that a definite, inflected or imperative
        # form ("rasti", "Верификуј" for "верификовати") still matches, a different word not.
        head = max(translations[code].split(" / ")[0].split(), key=len)
        wanted = fold(head)[:3]
        found = catalogue[english]
        if not any(fold(word).startswith(wanted) for word in found.split()):
            wrong.append(f"{term!r}: glossary {translations[code]!r}, catalogue {found!r}")
    assert checked >= 15
    assert not wrong, "\n".join(wrong)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_makemessages_finds_no_msgid_the_catalogues_lack(tmp_path):
    files = subprocess.run(
        [shutil.which("git") or "git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        if (ROOT / name).is_file() and name.endswith((".py", ".html", ".txt", ".po")):
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "makemessages", "-l", "sq", "--ignore=tests", "--ignore=bench"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )
    fresh = {m for m, *_ in entries_at(tmp_path / "locale" / "sq" / "LC_MESSAGES" / "django.po")}
    committed = {m for m, *_ in entries("sq")}
    assert sorted(fresh - committed) == [], "run: manage.py makemessages -a (then translate)"


def entries_at(path: Path):
    text = path.read_text(encoding="utf-8")
    for match in re.finditer(r'^msgid "(.*)"\n((?:".*"\n)*)', text, re.M):
        msgid = match.group(1) + "".join(line[1:-1] for line in match.group(2).splitlines())
        if msgid:
            yield (msgid,)
