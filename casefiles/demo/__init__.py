"""Demo councils, meetings and cases for Prizren, Graçanicë/Gračanica and Gjilan/Gnjilane.

``cases`` and ``councils`` hold the demo data and nothing else; ``play`` writes it through
the real services. The package may import ``casefiles`` and ``mcsc`` services and models;
nothing in the product imports it. It is called by ``mcsc/management/commands/seed_demo.py``
through the dotted path ``casefiles.demo.demo_cases_seed``, and by tests.
"""

from casefiles.demo.councils import DEMO_SLUGS, SCHOOLS_ITEM, SHOWCASE_CASE_SUMMARY
from casefiles.demo.play import (
    demo_cases,
    demo_cases_seed,
    demo_cases_summary,
    demo_meetings,
    demo_meetings_seed,
)

__all__ = [
    "DEMO_SLUGS",
    "SCHOOLS_ITEM",
    "SHOWCASE_CASE_SUMMARY",
    "demo_cases",
    "demo_cases_seed",
    "demo_cases_summary",
    "demo_meetings",
    "demo_meetings_seed",
]
