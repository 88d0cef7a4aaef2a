"""Cases of serious security incidents and the records of every step of the response.

The case state is a protected django-fsm field: it changes only through the transitions
below, and only the services in ``casefiles.services`` call them (inside a transaction,
with the row locked and one audit event written).
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition

from casefiles.clock import step_time
from mcsc.models import Community, Language, Meeting, Municipality

User = settings.AUTH_USER_MODEL


class CaseState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFIED = "verified", _("Verified")
    DISMISSED = "dismissed", _("Dismissed")
    COUNCIL_CONVENED = "council_convened", _("Council convened")
    STATEMENT_DRAFTED = "statement_drafted", _("Statement drafted")
    STATEMENT_APPROVED = "statement_approved", _("Statement approved")
    STATEMENT_PUBLISHED = "statement_published", _("Statement published")
    OUTREACH_CONDUCTED = "outreach_conducted", _("Outreach conducted")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


OPEN_STATES = [s for s in CaseState if s not in (CaseState.DISMISSED, CaseState.CLOSED)]

# Where an incident's coordinates may lie: Kosovo's extent in degrees (WGS 84), rounded
# outward to 0.01 degree (about 1 km) from the union of two sources that differ by a few
# hundred metres: the EPSG Geodetic Parameter Dataset, area of use 4542 "Kosovo"
# (41.856-43.246 N, 19.977-21.793 E), and the Government of Kosovo
# (visitkosovo.rks-gov.net, "Pozita gjeografike": 41°50'58"-43°15'42" N,
# 20°01'30"-21°48'02" E). A box, not the border: it catches typing mistakes and swapped
# numbers, not a point a little across the border.
KOSOVO_LATITUDE = (Decimal("41.84"), Decimal("43.27"))
KOSOVO_LONGITUDE = (Decimal("19.97"), Decimal("21.81"))


class Category(models.TextChoices):
    PERSON_PHYSICAL = "person_physical", _("Attack on persons: physical")
    PERSON_VERBAL = "person_verbal", _("Attack on persons: verbal or threat")
    PROPERTY_DAMAGE = "property_damage", _("Attack on private property: damage")
    PROPERTY_ARSON = "property_arson", _("Attack on private property: arson")
    PROPERTY_THEFT = "property_theft", _("Attack on private property: theft or burglary")
    SITE_DAMAGE = "site_damage", _("Attack on a cultural or religious site: damage")
    SITE_DESECRATION = "site_desecration", _("Attack on a cultural or religious site: desecration")
    SITE_GRAFFITI = "site_graffiti", _("Attack on a cultural or religious site: graffiti")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    POLICE = "police", _("Police")
    COMMUNITY = "community", _("Community")
    MEDIA = "media", _("Media")
    OSCE = "osce", _("OSCE")
    OTHER = "other", _("Other")


class VerificationSource(models.TextChoices):
    POLICE = "police", _("Police case number")
    OSCE = "osce", _("OSCE")
    COMMUNITY = "community", _("Community")
    MEDIA = "media", _("Media")


class PublicationChannel(models.TextChoices):
    WEBSITE = "website", _("Municipal website")
    SOCIAL_MEDIA = "social_media", _("Social media")
    PRESS_RELEASE = "press_release", _("Press release to media")
    NOTICE_BOARD = "notice_board", _("Public notice board")
    BROADCAST = "broadcast", _("Radio or television")


class CaseCounter(models.Model):
    """The last case number given per municipality and year (gapless references)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.year}: {self.last_number}"


class Case(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="cases"
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    state = FSMField(
        _("state"),
        max_length=24,
        choices=CaseState.choices,
        default=CaseState.REPORTED,
        protected=True,
        db_index=True,
    )
    state_changed_at = models.DateTimeField(_("state changed at"))
    due_at = models.DateTimeField(
        _("current step due at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Deadline of the step the case waits for; empty once closed or dismissed."),
    )

    # Intake
    occurred_at = models.DateTimeField(_("incident date and time"))
    reported_at = models.DateTimeField(_("reported date and time"))
    settlement = models.CharField(_("settlement"), max_length=120)
    location = models.CharField(_("location"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(KOSOVO_LATITUDE[0]), MaxValueValidator(KOSOVO_LATITUDE[1])],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(KOSOVO_LONGITUDE[0]),
            MaxValueValidator(KOSOVO_LONGITUDE[1]),
        ],
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    affected_community = models.ForeignKey(
        Community,
        verbose_name=_("affected community"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    summary = models.TextField(_("summary"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)

    # Verification
    verification_source = models.CharField(
        _("verification source"), max_length=16, choices=VerificationSource.choices, blank=True
    )
    verification_reference = models.CharField(
        _("verification reference"), max_length=200, blank=True
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    dismissal_reason = models.TextField(_("reason for dismissal"), blank=True)
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True)

    # Council
    convened_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("council meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="convened_cases",
    )
    convened_at = models.DateTimeField(_("council convened at"), null=True, blank=True)

    # Publication
    published_at = models.DateTimeField(_("statement published at"), null=True, blank=True)
    publication_channels = models.JSONField(_("publication channels"), default=list, blank=True)

    # Outreach, follow-up and closing
    outreach_at = models.DateTimeField(_("outreach recorded at"), null=True, blank=True)
    follow_up_started_at = models.DateTimeField(_("follow-up started at"), null=True, blank=True)
    closing_summary = models.TextField(_("closing summary"), blank=True)
    safety_before = models.PositiveSmallIntegerField(
        _("sense of safety before (1-5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    safety_after = models.PositiveSmallIntegerField(
        _("sense of safety after (1-5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    created_by = models.ForeignKey(
        User, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("opened at"), default=step_time, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "number"], name="case_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(reported_at__gte=models.F("occurred_at")),
                name="case_reported_after_incident",
                violation_error_message=_("The report cannot come before the incident."),
            ),
        ]
        indexes = [models.Index(fields=["municipality", "state"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_overdue(self) -> bool:
        """The step the case waits for is past its deadline."""
        return self.due_at is not None and self.due_at < timezone.now()

    @property
    def map_url(self) -> str:
        """The place on OpenStreetMap (a link only: no map tiles are loaded by our pages).
        The numbers keep their decimal point whatever the interface language."""
        if self.latitude is None or self.longitude is None:
            return ""
        lat, lon = self.latitude, self.longitude
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"

    # --- Transitions -----------------------------------------------------------------
    # Guards that need data (meetings, translations, actions) are checked by the services
    # before calling these; the FSM enforces the order of steps.

    @transition(field=state, source=CaseState.REPORTED, target=CaseState.VERIFIED)
    def verify(self) -> None:
        pass

    @transition(field=state, source=CaseState.REPORTED, target=CaseState.DISMISSED)
    def dismiss(self) -> None:
        pass

    @transition(field=state, source=CaseState.VERIFIED, target=CaseState.COUNCIL_CONVENED)
    def convene(self) -> None:
        pass

    @transition(field=state, source=CaseState.COUNCIL_CONVENED, target=CaseState.STATEMENT_DRAFTED)
    def draft_statement(self) -> None:
        pass

    @transition(
        field=state, source=CaseState.STATEMENT_DRAFTED, target=CaseState.STATEMENT_APPROVED
    )
    def approve(self) -> None:
        pass

    @transition(field=state, source=CaseState.STATEMENT_DRAFTED, target=CaseState.COUNCIL_CONVENED)
    def reject(self) -> None:
        pass

    @transition(
        field=state, source=CaseState.STATEMENT_APPROVED, target=CaseState.STATEMENT_PUBLISHED
    )
    def publish(self) -> None:
        pass

    @transition(
        field=state, source=CaseState.STATEMENT_PUBLISHED, target=CaseState.OUTREACH_CONDUCTED
    )
    def record_outreach(self) -> None:
        pass

    @transition(field=state, source=CaseState.OUTREACH_CONDUCTED, target=CaseState.FOLLOW_UP)
    def start_follow_up(self) -> None:
        pass

    @transition(field=state, source=CaseState.FOLLOW_UP, target=CaseState.CLOSED)
    def close(self) -> None:
        pass

    @transition(
        field=state,
        source=[CaseState.CLOSED, CaseState.DISMISSED],
        target=GET_STATE(
            lambda case: (
                CaseState.FOLLOW_UP if case.state == CaseState.CLOSED else CaseState.REPORTED
            ),
            states=[CaseState.FOLLOW_UP, CaseState.REPORTED],
        ),
    )
    def reopen(self) -> None:
        pass


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    REPORTER = "reporter", _("Reporter")


class CasePerson(models.Model):
    """Personal data, kept apart from the case so it can be withheld from monitors."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="people"
    )
    role = models.CharField(_("role"), max_length=16, choices=PersonRole.choices)
    name = models.CharField(_("name"), max_length=200)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=step_time, editable=False)
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the name, contact and notes were overwritten after the retention period "
            "(casefiles.privacy); the role stays for the statistics."
        ),
    )

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.get_role_display()


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Published")


class Statement(models.Model):
    """One version of the public statement; a rejected draft stays, the next is a new version."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="statements"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    language = models.ForeignKey(
        Language, verbose_name=_("source language"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=16, choices=StatementStatus.choices, default=StatementStatus.PENDING
    )
    drafted_by = models.ForeignKey(
        User, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("drafted at"), default=step_time, editable=False)
    reviewed_by = models.ForeignKey(
        User,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="statement_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.version}"


class TranslationStatus(models.TextChoices):
    DRAFT = "draft", _("Awaiting review")
    APPROVED = "approved", _("Approved")


class Translation(models.Model):
    statement = models.ForeignKey(
        Statement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        related_name="translations",
    )
    language = models.ForeignKey(
        Language, verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TranslationStatus.choices,
        default=TranslationStatus.DRAFT,
    )
    translator = models.ForeignKey(
        User, verbose_name=_("translator"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    reviewer = models.ForeignKey(
        User,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["statement", "language__sort_order"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "language"], name="translation_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement} [{self.language_id}]"


class OutreachActivity(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="outreach"
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    officials_present = models.TextField(_("officials present"))
    participants_women = models.PositiveIntegerField(_("participants: women"), default=0)
    participants_men = models.PositiveIntegerField(_("participants: men"), default=0)
    participants_other = models.PositiveIntegerField(
        _("participants: other or not stated"), default=0
    )
    concerns_raised = models.TextField(_("concerns raised"))
    commitments_made = models.TextField(_("commitments made"), blank=True)
    language = models.ForeignKey(
        Language, verbose_name=_("language used"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=step_time, editable=False)

    class Meta:
        ordering = ["case", "held_on", "id"]
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"

    @property
    def participants_total(self) -> int:
        return self.participants_women + self.participants_men + self.participants_other

    def commitment_lines(self) -> list[str]:
        """The commitments made, one per line as written (list marks and blank lines left
        out): each can become one follow-up action."""
        return commitment_lines(self.commitments_made)


# "- ", "* ", "• ", "1. ", "2) " at the start of a line: how people write lists.
_LIST_MARK = re.compile(r"^\s*(?:[-*•–]|\d{1,3}[.)])\s+")


def commitment_lines(text: str) -> list[str]:
    lines = []
    for raw in (text or "").splitlines():
        line = _LIST_MARK.sub("", raw).strip()
        if line and line not in lines:
            lines.append(line)
    return lines


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("follow-up action status", "Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class FollowUpAction(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="follow_up_actions"
    )
    description = models.TextField(_("description"))
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    source_agenda_item = models.ForeignKey(
        "mcsc.AgendaItem",
        verbose_name=_("from meeting agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The outreach commitment the action was made from (its line, as written then), so
    # that the case page marks the commitment as taken over and offers it only once.
    source_outreach = models.ForeignKey(
        OutreachActivity,
        verbose_name=_("from outreach activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up_actions",
    )
    source_commitment = models.TextField(_("from outreach commitment"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=step_time, editable=False)

    class Meta:
        ordering = ["case", "due_on", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DROPPED) | ~Q(drop_reason=""),
                name="dropped_action_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]


class AuditAction(models.TextChoices):
    """Every kind of change the audit trail records, one namespaced name each."""

    CASE_OPEN = "case.open", _("Case opened")
    CASE_UPDATE = "case.update", _("Case updated")
    CASE_VERIFY = "case.verify", _("Case verified")
    CASE_DISMISS = "case.dismiss", _("Case dismissed")
    CASE_CONVENE = "case.convene", _("Council convened on the case")
    CASE_REOPEN = "case.reopen", _("Case reopened")
    CASE_CLOSE = "case.close", _("Case closed")
    CASE_PERSONAL_DATA_VIEW = "case.personal_data_view", _("Personal data viewed")
    PERSON_ADD = "person.add", _("Person recorded")
    STATEMENT_DRAFT = "statement.draft", _("Statement drafted")
    STATEMENT_APPROVE = "statement.approve", _("Statement approved")
    STATEMENT_REJECT = "statement.reject", _("Statement rejected")
    STATEMENT_PUBLISH = "statement.publish", _("Statement published")
    TRANSLATION_SAVE = "translation.save", _("Translation saved")
    TRANSLATION_APPROVE = "translation.approve", _("Translation approved")
    OUTREACH_RECORD = "outreach.record", _("Outreach recorded")
    OUTREACH_ADD = "outreach.add", _("Outreach activity added")
    FOLLOW_UP_START = "follow_up.start", _("Follow-up started")
    FOLLOW_UP_ACTION_ADD = "follow_up.action_add", _("Follow-up action added")
    FOLLOW_UP_ACTION_UPDATE = "follow_up.action_update", _("Follow-up action updated")
    MEETING_CREATE = "meeting.create", _("Meeting recorded")
    MEETING_UPDATE = "meeting.update", _("Meeting updated")
    MINUTES_APPROVE = "minutes.approve", _("Minutes approved")
    MINUTES_AMEND = "minutes.amend", _("Minutes amendment started")
    MEETING_INVITE = "meeting.invite", _("Meeting invitation sent")
    COUNCIL_UPDATE = "council.update", _("Council settings changed")
    COUNCIL_MEMBER_ADD = "council.member_add", _("Council member appointed")
    COUNCIL_MEMBER_UPDATE = "council.member_update", _("Council member updated")
    REMINDER_SEND = "reminder.send", _("Reminder sent")
    EXPORT = "export", _("Data exported")
    CASE_MONITOR_VIEW = "case.monitor_view", _("Case read by a monitor")
    AUDIT_CHECKPOINT = "audit.checkpoint", _("Audit checkpoint taken")
    AUTH_SIGN_IN = "auth.sign_in", _("Signed in")
    AUTH_SIGN_OUT = "auth.sign_out", _("Signed out")
    AUTH_SIGN_IN_FAIL = "auth.sign_in_failed", _("Sign-in failed")
    AUTH_LOCKOUT = "auth.lockout", _("Sign-in locked out")
    AUTH_UNLOCK = "auth.unlock", _("Sign-in lockout lifted")
    AUTH_PASSWORD_CHANGE = "auth.password_change", _("Password changed")
    AUTH_PASSWORD_RESET_REQUEST = "auth.password_reset_request", _("Password reset requested")
    AUTH_PASSWORD_RESET = "auth.password_reset", _("Password reset by e-mail link")
    AUTH_MFA_ENROL = "auth.mfa_enrol", _("Second factor enrolled")
    AUTH_MFA_RESET = "auth.mfa_reset", _("Second factor removed")
    AUTH_RECOVERY_CODES = "auth.recovery_codes", _("Recovery codes generated")
    TOKEN_CREATE = "token.create", _("API token created")
    TOKEN_REVOKE = "token.revoke", _("API token revoked")
    ROLE_ASSIGN = "role.assign", _("Role assigned")
    ROLE_REMOVE = "role.remove", _("Role removed")
    PERSONAL_DATA_EXPORT = "person.export", _("Personal data exported")
    RETENTION_APPLY = "retention.apply", _("Personal data anonymised after the retention period")


# Events that record a reading, not a change: the audit trail hides a reader's own ones
# unless asked (a monitor's every case page view would bury the changes they look for).
READ_ACTIONS = frozenset(
    {
        AuditAction.CASE_MONITOR_VIEW,
        AuditAction.CASE_PERSONAL_DATA_VIEW,
        AuditAction.EXPORT,
        AuditAction.AUDIT_CHECKPOINT,
    }
)


class AuditHead(models.Model):
    """The single row that holds the end of the hash chain; locking it serialises appends."""

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1)
    count = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.count} {self.hash[:12]}"


class AuditEvent(models.Model):
    """One change, append-only and hash-chained to the event before it."""

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False, db_index=True)
    # The moment a step written inside ``casefiles.clock.recording_at`` is recorded for
    # (demo data, cases first kept on paper); empty for every live write.
    as_of = models.DateTimeField(_("recorded as of"), null=True, blank=True, editable=False)
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    from_state = models.CharField(_("from state"), max_length=24, blank=True)
    to_state = models.CharField(_("to state"), max_length=24, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["case", "sequence"]),
            models.Index(fields=["municipality", "sequence"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    @property
    def happened_at(self):
        """When the change happened: the moment it is recorded for, else when it was written.

        Histories show and order by this; the audit trail itself keeps ``created_at``.
        """
        return self.as_of or self.created_at
