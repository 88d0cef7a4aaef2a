"""The viewflow process of a case, and per-municipality deadline overrides."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from casefiles.models import Case
from mcsc.models import Municipality


class CaseProcess(Process):
    """One run of the response workflow for a case (a reopened case gets a new run)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="processes"
    )

    class Meta:
        verbose_name = _("case process")
        verbose_name_plural = _("case processes")


def _days(label):
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Empty: the project default."),
    )


class DeadlinePolicy(models.Model):
    """A municipality's own deadlines, where they differ from the defaults."""

    municipality = models.OneToOneField(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="deadline_policy",
    )
    verify_days = _days(_("days to verify, after the report"))
    convene_days = _days(_("days to convene the council, after verification"))
    publish_days = _days(_("days to publish the statement, after the council"))
    outreach_days = _days(_("days to reach out, after publication"))
    follow_up_days = _days(_("days to review follow-up, after the outreach"))

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")

    def __str__(self) -> str:
        return str(self.municipality)


class Reminder(models.Model):
    """A reminder sent for a case's overdue step on one day (at most one per step and day)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="reminders"
    )
    step = models.CharField(_("step"), max_length=16)
    sent_on = models.DateField(_("sent on"))
    escalated = models.BooleanField(_("copied to leadership"), default=False)
    recipients = models.JSONField(_("recipients"), default=list)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "step", "sent_on"], name="one_reminder_per_step_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step} {self.sent_on}"
