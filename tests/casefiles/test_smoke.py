import pytest

from casefiles.audit.verification import audit_verify
from casefiles.models import CaseState
from tests.casefiles.builders import advance, open_case, team

pytestmark = pytest.mark.django_db


def test_a_case_goes_from_report_to_closed_through_the_services():
    t = team()
    case = open_case(t)
    assert case.reference.startswith("PZ-")
    case = advance(t, case, CaseState.CLOSED)
    assert case.state == CaseState.CLOSED
    report = audit_verify()
    assert report.ok, report.problem
