"""Reference data names in the interface language.

Regions, languages, communities and municipalities carry their names in several
languages; ``name_in`` picks the one for the active (or a given) interface language, with
the fallback a reader of that language expects: Serbian Cyrillic from the Serbian Latin
name where no Cyrillic one is stored, Turkish from the Albanian name of a place (Kosovo's
Turkish speakers use the Albanian place names), Bosnian from the Serbian Latin name, and
English last. It imports only Django; ``mcsc.models`` uses it for each model's ``name``.
"""

from __future__ import annotations

from django.utils import translation

_LATIN_TO_CYRILLIC = [
    ("Lj", "Љ"), ("LJ", "Љ"), ("lj", "љ"), ("Nj", "Њ"), ("NJ", "Њ"), ("nj", "њ"),
    ("Dž", "Џ"), ("DŽ", "Џ"), ("dž", "џ"),
]  # fmt: skip
_LETTERS = dict(
    zip(
        "ABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠabvgdđežzijklmnoprstćufhcčš",
        "АБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШабвгдђежзијклмнопрстћуфхцчш",
        strict=True,
    )
)


def serbian_cyrillic(latin: str) -> str:
    """Serbian Latin transliterated to Cyrillic (one letter for lj, nj, dž)."""
    for pair, letter in _LATIN_TO_CYRILLIC:
        latin = latin.replace(pair, letter)
    return "".join(_LETTERS.get(ch, ch) for ch in latin)


# For each interface language: the name fields to try, in order. "~sr" is the Serbian
# Latin name transliterated.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "en": ("name_en",),
    "sq": ("name_sq", "name_en"),
    "sr": ("name_sr_cyrl", "~sr", "name_en"),
    "sr-latn": ("name_sr", "name_en"),
    "tr": ("name_tr", "name_sq", "name_en"),
    "bs": ("name_bs", "name_sr", "name_en"),
}


def name_in(obj, language: str | None = None) -> str:
    """``obj``'s name in ``language`` (default: the active interface language)."""
    language = (language or translation.get_language() or "en").lower()
    fields = FALLBACKS.get(language) or FALLBACKS.get(language.split("-")[0]) or ("name_en",)
    for field in fields:
        if field == "~sr":
            value = getattr(obj, "name_sr", "")
            if value:
                return serbian_cyrillic(value)
            continue
        value = getattr(obj, field, "")
        if value:
            return value
    return getattr(obj, "name_en", "") or str(obj.pk)
