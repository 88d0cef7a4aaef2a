"""The response workflow of a case, as a viewflow process.

The case's django-fsm state is the source of truth. The process mirrors it: after every
step a Switch routes to the task for the case's new state, so a step done anywhere (task
page, case page or API) moves the process along, and the task inbox always shows what the
case waits for. Translations fan out to one task per missing required language.
"""

from django.shortcuts import redirect
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from casefiles.models import CaseState
from mcsc.permissions import Action, user_can
from workflows.models import CaseProcess
from workflows.translations import (
    STATEMENT_LANGUAGE_CODES,
    STATEMENT_LANGUAGE_NAMES,
    missing_translation_codes,
    translate_node_name,
)


def _open_task_page(request, **kwargs):
    """viewflow needs a view per human task; ours live on the case pages."""
    return redirect("workflows:inbox")


class CaseTask(flow.View):
    """A human step, done by a role of the case's own municipality."""

    def __init__(self, *, action: Action, transitions: tuple[str, ...], title, language=""):
        super().__init__(_open_task_page)
        self.action = action
        self.transitions = transitions
        self.language = language
        self.Annotation(title=title)

    def case_of(self, task):
        return CaseProcess.objects.select_related("case").get(pk=task.process_id).case

    def can_assign(self, user, task):
        return task.owner_id is None and user_can(user, self.action, self.case_of(task))

    def can_execute(self, user, task):
        return user_can(user, self.action, self.case_of(task))


def _state(*states):
    def condition(activation):
        return activation.process.coerced.case.state in states

    return condition


def _needs_translation(code):
    def condition(activation):
        return code in missing_translation_codes(activation.process.coerced.case)

    return condition


def _needs_any_translation(activation):
    case = activation.process.coerced.case
    return case.state == CaseState.STATEMENT_APPROVED and bool(missing_translation_codes(case))


def _translation_task(code: str) -> CaseTask:
    return CaseTask(
        action=Action.TRANSLATION_EDIT,
        transitions=(),
        title=format_lazy(
            _("Translate the statement into {language}"), language=STATEMENT_LANGUAGE_NAMES[code]
        ),
        language=code,
    ).Next(this.translations_done)


def _translation_tasks(codes: list[str]) -> type:
    """A base class holding one translation task per language, named ``translate_<code>``.

    viewflow collects a flow's nodes from the attributes of the class (inherited ones too)
    once, when the Flow subclass is created; an attribute set on the flow afterwards would
    not become a node. So the generated tasks are put on a base of the flow.
    """
    return type(
        "TranslationTasks",
        (),
        {translate_node_name(code): _translation_task(code) for code in codes},
    )


def _translation_split(codes: list[str]) -> flow.Split:
    """Fan out to the translation task of each language the statement still lacks."""
    split = flow.Split()
    for code in codes:
        split.Next(getattr(this, translate_node_name(code)), case=_needs_translation(code))
    return split


class CaseFlow(flow.Flow, _translation_tasks(STATEMENT_LANGUAGE_CODES)):
    process_class = CaseProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Response to a security incident")

    start = flow.StartHandle(this.start_process).Next(this.route)

    route = (
        flow.Switch()
        .Case(this.verify, _state(CaseState.REPORTED))
        .Case(this.convene, _state(CaseState.VERIFIED))
        .Case(this.draft_statement, _state(CaseState.COUNCIL_CONVENED))
        .Case(this.review, _state(CaseState.STATEMENT_DRAFTED))
        .Case(this.translate, _needs_any_translation)
        .Case(this.publish, _state(CaseState.STATEMENT_APPROVED))
        .Case(this.record_outreach, _state(CaseState.STATEMENT_PUBLISHED))
        .Case(this.start_follow_up, _state(CaseState.OUTREACH_CONDUCTED))
        .Case(this.close, _state(CaseState.FOLLOW_UP))
        .Default(this.end)
    )

    verify = CaseTask(
        action=Action.CASE_VERIFY,
        transitions=("verify", "dismiss"),
        title=_("Verify or dismiss the incident"),
    ).Next(this.route)
    convene = CaseTask(
        action=Action.CASE_CONVENE, transitions=("convene",), title=_("Convene the council")
    ).Next(this.route)
    draft_statement = CaseTask(
        action=Action.STATEMENT_DRAFT,
        transitions=("draft_statement",),
        title=_("Draft the public statement"),
    ).Next(this.route)
    review = CaseTask(
        action=Action.STATEMENT_APPROVE,
        transitions=("approve", "reject"),
        title=_("Approve or reject the statement"),
    ).Next(this.route)

    # One task per statement language (see _translation_tasks); the Split creates those
    # still missing.
    translate = _translation_split(STATEMENT_LANGUAGE_CODES)
    translations_done = flow.Join().Next(this.route)

    publish = CaseTask(
        action=Action.STATEMENT_PUBLISH, transitions=("publish",), title=_("Publish the statement")
    ).Next(this.route)
    record_outreach = CaseTask(
        action=Action.OUTREACH_RECORD,
        transitions=("record_outreach",),
        title=_("Reach out to the affected community"),
    ).Next(this.route)
    start_follow_up = CaseTask(
        action=Action.FOLLOW_UP_MANAGE,
        transitions=("start_follow_up",),
        title=_("Plan the follow-up"),
    ).Next(this.route)
    close = CaseTask(
        action=Action.CASE_CLOSE, transitions=("close",), title=_("Close the case")
    ).Next(this.route)

    end = flow.End()

    def start_process(self, activation, case):
        activation.process.case = case
        activation.process.save()
        return activation.process
