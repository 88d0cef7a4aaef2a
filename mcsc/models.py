"""Reference data (regions, languages, communities, municipalities) and role assignments.

Reference rows are seeded from ``mcsc/data/reference.json`` and stay editable by
administrators: several facts are unconfirmed, so every row keeps its uncertainty note.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mcsc.names import name_in


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Region(models.Model):
    """An OSCE regional centre; monitors can be scoped to one."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_sq = models.CharField(_("name (Albanian)"), max_length=100)
    name_sr = models.CharField(_("name (Serbian, Latin)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    uncertainty_note = models.TextField(_("uncertainty note"), blank=True)

    class Meta:
        ordering = ["name_sq"]
        verbose_name = _("OSCE region")
        verbose_name_plural = _("OSCE regions")

    def __str__(self) -> str:
        return f"{self.name_sq}/{self.name_sr}"

    @property
    def name(self) -> str:
        """The name in the interface language (``mcsc.names``)."""
        return name_in(self)


class Language(models.Model):
    """A language a statement can be written in, identified by its BCP 47 tag.

    Serbian is one language in two scripts, so ``family`` (ISO 639) groups ``sr-Cyrl`` and
    ``sr-Latn``. Romani has no Django locale, which is why languages are rows, not settings.
    """

    code = models.CharField(_("BCP 47 tag"), max_length=16, unique=True)
    family = models.CharField(_("ISO 639 code"), max_length=8)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_native = models.CharField(_("name (in the language)"), max_length=60)
    name_sq = models.CharField(_("name (Albanian)"), max_length=60, blank=True)
    name_sr = models.CharField(_("name (Serbian, Latin)"), max_length=60, blank=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=60, blank=True)
    name_bs = models.CharField(_("name (Bosnian)"), max_length=60, blank=True)
    script = models.CharField(_("script"), max_length=20)
    django_code = models.CharField(
        _("interface locale"),
        max_length=16,
        blank=True,
        help_text=_("Django's language code, when the interface exists in this language."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    uncertainty_note = models.TextField(_("uncertainty note"), blank=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return f"{self.name_en} ({self.code})"

    @property
    def name(self) -> str:
        """The name in the interface language (``mcsc.names``)."""
        return name_in(self)


class Community(models.Model):
    """A community of Kosovo, with the language its members should be addressed in."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_sq = models.CharField(_("name (Albanian)"), max_length=60)
    name_sr = models.CharField(_("name (Serbian)"), max_length=60)
    name_tr = models.CharField(_("name (Turkish)"), max_length=60, blank=True)
    name_bs = models.CharField(_("name (Bosnian)"), max_length=60, blank=True)
    language = models.ForeignKey(
        Language,
        verbose_name=_("language for statements"),
        on_delete=models.PROTECT,
        related_name="communities",
    )
    status_in_kosovo = models.TextField(_("status of the language"), blank=True)
    uncertainty_note = models.TextField(_("uncertainty note"), blank=True)
    sources = models.TextField(_("sources"), blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the interface language (``mcsc.names``)."""
        return name_in(self)


class Municipality(models.Model):
    code = models.CharField(_("statistical office code"), max_length=4, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    case_prefix = models.CharField(
        _("case reference prefix"),
        max_length=4,
        unique=True,
        help_text=_("Letters that start this municipality's case references, e.g. PZ."),
    )
    name_sq = models.CharField(_("name (Albanian)"), max_length=100)
    name_sr = models.CharField(_("name (Serbian, Latin)"), max_length=100)
    name_sr_cyrl = models.CharField(_("name (Serbian, Cyrillic)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_osce_style = models.CharField(_("bilingual name"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("OSCE region"),
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    region_confidence = models.CharField(
        _("confidence in the region"), max_length=8, choices=Confidence.choices
    )
    official_languages = models.ManyToManyField(
        Language, verbose_name=_("official languages"), related_name="official_in"
    )
    languages_in_official_use = models.ManyToManyField(
        Language,
        verbose_name=_("languages in official use"),
        related_name="in_official_use_in",
        blank=True,
    )
    majority_community = models.ForeignKey(
        Community,
        verbose_name=_("majority community"),
        on_delete=models.PROTECT,
        related_name="majority_in",
    )
    population_2011 = models.PositiveIntegerField(
        _("population (2011 census)"), null=True, blank=True
    )
    uncertainty_note = models.TextField(_("uncertainty note"), blank=True)
    sources = models.TextField(_("sources"), blank=True)

    class Meta:
        ordering = ["name_sq"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name_osce_style

    @property
    def name(self) -> str:
        """The name in the interface language (``mcsc.names``)."""
        return name_in(self)


class Role(models.TextChoices):
    SECRETARY = "secretary", _("MCSC secretary")
    LEADERSHIP = "leadership", _("Municipal leadership")
    MEMBER = "member", _("Council member")
    TRANSLATOR = "translator", _("Translator")
    MONITOR = "monitor", _("Monitor")
    ADMINISTRATOR = "administrator", _("Administrator")


MUNICIPAL_ROLES = (Role.SECRETARY, Role.LEADERSHIP, Role.MEMBER, Role.TRANSLATOR)


class RoleAssignment(models.Model):
    """A user's role and where it applies.

    Municipal roles name one municipality. A monitor names a region, or nothing for all of
    Kosovo. An administrator is system-wide.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        help_text=_("Monitors only: leave empty for all municipalities."),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_scope_shape",
                condition=(
                    Q(role__in=[r.value for r in MUNICIPAL_ROLES], municipality__isnull=False)
                    & Q(region__isnull=True)
                )
                | Q(role=Role.MONITOR, municipality__isnull=True)
                | Q(role=Role.ADMINISTRATOR, municipality__isnull=True, region__isnull=True),
                violation_error_message=_(
                    "Secretaries, leadership, council members and translators need exactly one "
                    "municipality; monitors may have a region; administrators have neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "municipality"],
                condition=Q(municipality__isnull=False),
                name="one_municipal_role_per_user",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(municipality__isnull=True),
                name="one_global_role_per_user",
            ),
        ]

    def __str__(self) -> str:
        where = self.municipality or self.region or _("all municipalities")
        return f"{self.user} — {self.get_role_display()} — {where}"


class Profile(models.Model):
    """What a user chose for themselves: the interface language their pages, e-mails and
    API messages use (set at first sign-in from the browser, then by the language menu)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    language = models.CharField(
        _("interface language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.language or '-'})"


def _translated(translations: dict, language_code: str | None, field: str, original: str) -> str:
    """The secretary's translation of ``field`` into ``language_code``, else the original."""
    if language_code:
        text = ((translations or {}).get(language_code) or {}).get(field) or ""
        if text.strip():
            return text
    return original


class Seat(models.TextChoices):
    CHAIR = "chair", _("Chair")
    POLICE_COMMANDER = "police_commander", _("Police station commander")
    DEPUTY_MAYOR_COMMUNITIES = "deputy_mayor_communities", _("Deputy mayor for communities")
    COMMUNITY_REPRESENTATIVE = "community_representative", _("Community representative")
    RELIGIOUS_REPRESENTATIVE = "religious_representative", _("Religious community representative")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    WOMEN_YOUTH = "women_youth", _("Women's or youth representative")
    MUNICIPAL_OFFICIAL = "municipal_official", _("Municipal official")
    OTHER = "other", _("Other")


class Council(models.Model):
    """A municipality's Municipal Community Safety Council (one per municipality)."""

    municipality = models.OneToOneField(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="council",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    quorum_minimum = models.PositiveSmallIntegerField(
        _("quorum (members present)"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty for the default rule: more than half of the current members present."
        ),
    )

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name or str(_("MCSC %(municipality)s") % {"municipality": self.municipality})


class CouncilMember(models.Model):
    """A member appointed by the municipal assembly. Contact details are personal data."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="members"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    seat = models.CharField(_("seat"), max_length=32, choices=Seat.choices)
    community = models.ForeignKey(
        Community,
        verbose_name=_("community represented"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    appointed_on = models.DateField(_("appointed on"))
    appointment_reference = models.CharField(
        _("assembly decision reference"), max_length=100, blank=True
    )
    ended_on = models.DateField(_("membership ended on"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["seat", "name"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_seat_display()})"

    def is_member_on(self, day) -> bool:
        return self.appointed_on <= day and (self.ended_on is None or self.ended_on >= day)


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")


class Meeting(models.Model):
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="meetings"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    chair = models.ForeignKey(
        CouncilMember,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    invitation_sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return _("%(kind)s meeting of %(date)s") % {
            "kind": self.get_kind_display(),
            "date": self.starts_at.date().isoformat(),
        }

    @property
    def minutes_reference(self) -> str:
        """The reference printed on the minutes, e.g. ``MCSC-PZ-20260610-12``."""
        day = timezone.localtime(self.starts_at).strftime("%Y%m%d")
        return f"MCSC-{self.municipality.case_prefix}-{day}-{self.pk}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    case = models.ForeignKey(
        "casefiles.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    discussion = models.TextField(_("discussion"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    # {"sr-Cyrl": {"title": ..., "discussion": ..., "decisions": ...}}: the secretary's
    # translations; the minutes in a language use them where given, else the text above.
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def text(self, field: str, language_code: str | None = None) -> str:
        return _translated(self.translations, language_code, field, getattr(self, field))


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        CouncilMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.status}"


class Guest(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="guests"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")

    def __str__(self) -> str:
        return self.name


# --- Meeting record: per-language text, action items, minutes ---------------------------


AGENDA_TRANSLATED_FIELDS = ("title", "discussion", "decisions")
ACTION_TRANSLATED_FIELDS = ("description",)


class ActionItem(models.Model):
    """Something the council decided someone should do; it can become a case's follow-up
    action (``casefiles.FollowUpAction``) once that case is in follow-up."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_items",
    )
    description = models.TextField(_("description"))
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due date"))
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    case = models.ForeignKey(
        "casefiles.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_action_items",
    )
    follow_up_action = models.OneToOneField(
        "casefiles.FollowUpAction",
        verbose_name=_("follow-up action"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_action_item",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.description[:60]

    def text(self, field: str, language_code: str | None = None) -> str:
        return _translated(self.translations, language_code, field, getattr(self, field))


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    # An approved version that a later, approved amendment corrects.
    AMENDED = "amended", _("Amended")


class Minutes(models.Model):
    """One version of a meeting's minutes.

    Version 1 is created when the minutes are first approved (until then they are rendered
    from the meeting record on the fly). An amendment is a new draft version that points at
    the approved version it corrects; approving it marks the corrected version ``amended``.
    An approved version's PDFs are stored (``MinutesDocument``) and never change.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    reference = models.CharField(_("reference"), max_length=60)
    amends = models.OneToOneField(
        "self",
        verbose_name=_("amends version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment",
    )
    reason = models.TextField(_("reason for the amendment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_at_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("approved at the meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes_approved",
    )

    class Meta:
        ordering = ["meeting", "version"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="minutes_version_unique"),
            models.CheckConstraint(
                name="minutes_approved_has_approval",
                condition=Q(status="draft")
                | Q(approved_at__isnull=False, approved_at_meeting__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.status != MinutesStatus.DRAFT


class MinutesDocument(models.Model):
    """The PDF of an approved minutes version in one language: exactly the bytes served."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.PROTECT, related_name="documents"
    )
    language = models.ForeignKey(
        Language, verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["minutes", "language__sort_order"]
        verbose_name = _("minutes document")
        verbose_name_plural = _("minutes documents")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "language"], name="minutes_document_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes} {self.language_id}"
