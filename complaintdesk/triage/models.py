"""Triage (issue 6): the keyword rules, their edit history, and what was suggested and chosen at
the intake of each complaint."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.models import Complaint
from complaintdesk.org.models import DealerGroup, Store
from complaintdesk.triage.choices import (
    Confidence,
    Entry,
    Language,
    MatchMode,
    RevisionAction,
    Target,
)


class TriageRule(models.Model):
    """One keyword rule: when `keyword` is found in a complaint's text, vote `weight` for `value`
    of `target` (nature, severity or department concerned).

    Scope: rules without a group are the built-in ones (shipped by migration, shared by every
    dealer group, read-only in the UI); a group's CS director adds rules for the group and adapts
    a built-in one by saving a group copy that `replaces` it — for that group only, so one
    group's vocabulary never changes another group's suggestions. The group is the tenant that
    shares a CS director, a brand mix and a complaint procedure (SPEC §1); a store-level rule set
    would split the evidence of the live feedback thinner than it can bear.

    Written only by triage.services, which also writes a TriageRuleRevision per change. Rules are
    disabled, never deleted, so that the reasons recorded on complaints keep pointing at them.
    """

    group = models.ForeignKey(
        DealerGroup,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("dealer group"),
        help_text=_("Empty: a built-in rule used by every group."),
    )
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("adapts built-in rule"),
    )
    keyword = models.CharField(_("keyword or phrase"), max_length=60)
    language = models.CharField(
        _("language"), max_length=3, choices=Language.choices, default=Language.ANY
    )
    match = models.CharField(
        _("match"), max_length=4, choices=MatchMode.choices, default=MatchMode.WORD
    )
    target = models.CharField(_("suggests"), max_length=10, choices=Target.choices)
    value = models.CharField(_("value"), max_length=30)
    weight = models.DecimalField(
        _("weight"),
        max_digits=3,
        decimal_places=1,
        default=2,
        validators=[MinValueValidator(0.1), MaxValueValidator(9.9)],
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("triage rule")
        verbose_name_plural = _("triage rules")
        ordering = ["target", "value", "-weight", "keyword", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "replaces"],
                condition=models.Q(replaces__isnull=False),
                name="triagerule_one_copy_per_group",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="triagerule_weight_positive"
            ),
        ]
        indexes = [
            # effective_rules(): the built-in rules plus one group's.
            models.Index(fields=["group", "enabled"], name="triagerule_group_enabled"),
        ]

    def __str__(self):
        return f"{self.keyword} → {self.target}:{self.value}"

    @property
    def is_builtin(self) -> bool:
        return self.group_id is None

    def value_label(self) -> str:
        from complaintdesk.triage.choices import TARGET_VALUES

        choices = TARGET_VALUES.get(self.target)
        try:
            return str(choices(self.value).label) if choices else self.value
        except ValueError:
            return self.value


class TriageRuleRevision(models.Model):
    """One change of a rule: who, when, what before and after (append-only)."""

    rule = models.ForeignKey(TriageRule, on_delete=models.PROTECT, related_name="revisions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("change"), max_length=12, choices=RevisionAction.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"))
    created_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("triage rule revision")
        verbose_name_plural = _("triage rule revisions")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.rule_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class TriageRecord(models.Model):
    """What the triage suggested when a complaint was entered, what the filer chose, and whether
    they agreed — the measurement of the suggestions (issue 6). Written once, inside the
    transaction of complaint_create; `accepted` is empty where the filer decided nothing (nature
    left "not judged", no department given, a file without those columns)."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="triage")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    entry = models.CharField(_("entered through"), max_length=10, choices=Entry.choices)

    suggested_nature = models.CharField(_("suggested nature"), max_length=20, blank=True)
    suggested_severity = models.CharField(_("suggested severity"), max_length=10, blank=True)
    suggested_department = models.CharField(_("suggested department"), max_length=20, blank=True)
    nature_confidence = models.CharField(
        max_length=6, choices=Confidence.choices, default=Confidence.NONE
    )
    severity_confidence = models.CharField(
        max_length=6, choices=Confidence.choices, default=Confidence.NONE
    )
    department_confidence = models.CharField(
        max_length=6, choices=Confidence.choices, default=Confidence.NONE
    )
    # engine.Suggestion.as_dict(): scores, runner-up, measured precision and the matched rules.
    reasons = models.JSONField(_("why"), default=dict)

    chosen_nature = models.CharField(_("chosen nature"), max_length=20, blank=True)
    chosen_severity = models.CharField(_("chosen severity"), max_length=10, blank=True)
    chosen_department = models.CharField(_("chosen department"), max_length=20, blank=True)
    nature_accepted = models.BooleanField(_("nature accepted"), null=True)
    severity_accepted = models.BooleanField(_("severity accepted"), null=True)
    department_accepted = models.BooleanField(_("department accepted"), null=True)

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("triage record")
        verbose_name_plural = _("triage records")
        indexes = [
            # selectors.live_feedback(): the acceptance per suggested nature in a group's stores.
            models.Index(fields=["store", "suggested_nature"], name="triagerecord_store_nature"),
        ]

    def __str__(self):
        return f"{self.complaint_id}: {self.suggested_nature or '-'}"
