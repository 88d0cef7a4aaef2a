"""The statement languages the workflow can ask a translation for, and which are missing.

Holds the language codes the translation tasks are made from, the name of each task node
and the codes a case's statement still lacks. May import ``casefiles`` (and Django, mcsc),
never ``workflows.flows`` or ``workflows.services``: both of them import this module
(flows to build and route the translation tasks, services to know which tasks a case
should have open).
"""

from __future__ import annotations

from casefiles.models import Case

# The codes of the statement languages (``mcsc.Language`` rows seeded from
# ``mcsc/data/reference.json``), in their sort order; English, the monitors' working
# language, is never a required statement language. The flow needs them when its class is
# defined, before the database can be read, so they are listed here and must match the
# reference data: tests/workflows/test_translations.py checks that they do.
STATEMENT_LANGUAGE_CODES = ["sq", "sr-Cyrl", "sr-Latn", "tr", "bs", "rom", "hr"]


def translate_node_name(code: str) -> str:
    return "translate_" + code.lower().replace("-", "_")


def missing_translation_codes(case: Case) -> list[str]:
    from casefiles.services import current_statement, statement_missing_languages

    statement = current_statement(case)
    if statement is None:
        return []
    return [language.code for language in statement_missing_languages(case, statement)]
