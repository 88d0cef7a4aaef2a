"""The workflow's translation tasks are the statement languages of the reference data."""

import pytest

from mcsc.models import Language
from workflows.flows import CaseFlow, CaseTask
from workflows.translations import STATEMENT_LANGUAGE_CODES

pytestmark = pytest.mark.django_db


def test_the_workflow_knows_every_seeded_statement_language_in_order():
    # English is seeded for the international monitors but is never a statement language.
    seeded = list(Language.objects.exclude(code="en").values_list("code", flat=True))
    assert seeded == STATEMENT_LANGUAGE_CODES


def test_each_statement_language_has_its_translation_task():
    tasks = {
        node.name: node.language
        for node in CaseFlow.instance.nodes()
        if isinstance(node, CaseTask) and node.language
    }
    expected = {
        "translate_sq": "sq",
        "translate_sr_cyrl": "sr-Cyrl",
        "translate_sr_latn": "sr-Latn",
        "translate_tr": "tr",
        "translate_bs": "bs",
        "translate_rom": "rom",
        "translate_hr": "hr",
    }
    assert tasks == expected
    # The split creates them in the languages' order.
    assert [branch[0].name for branch in CaseFlow.translate._branches] == list(expected)
