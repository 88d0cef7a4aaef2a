"""The statement languages the workflow can ask a translation for, and which are missing.

Holds the language codes the translation tasks are made from, the name of each task node
and the codes a case's statement still lacks. May import ``casefiles`` (and Django, mcsc),
never ``workflows.flows`` or ``workflows.services``: both of them import this module
(flows to build and route the translation tasks, services to know which tasks a case
should have open).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casefiles.models import Case

# The codes of the statement languages (``mcsc.Language`` rows seeded from
# ``mcsc/data/reference.json``), in their sort order; English, the monitors' working
# language, is never a required statement language. The flow needs them when its class is
# defined, before the database can be read, so they are listed here and must match the
# reference data: tests/workflows/test_translations.py checks that they do.
STATEMENT_LANGUAGE_CODES = ["sq", "sr-Cyrl", "sr-Latn", "tr", "bs", "rom", "hr"]

# Task titles name the language in the reader's interface language, never by its code.
STATEMENT_LANGUAGE_NAMES = {
    "sq": _("Albanian"),
    "sr-Cyrl": _("Serbian (Cyrillic)"),
    "sr-Latn": _("Serbian (Latin)"),
    "tr": _("Turkish"),
    "bs": _("Bosnian"),
    "rom": _("Romani"),
    "hr": _("Croatian"),
}


def translate_node_name(code: str) -> str:
    return "translate_" + code.lower().replace("-", "_")


def missing_translation_codes(case: Case) -> list[str]:
    from casefiles.services import current_statement, statement_missing_languages

    statement = current_statement(case)
    if statement is None:
        return []
    return [language.code for language in statement_missing_languages(case, statement)]
