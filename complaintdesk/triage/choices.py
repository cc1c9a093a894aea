"""The vocabularies of triage (issue 6): what a rule points at, how it matches, how sure we are."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import Nature, Severity
from complaintdesk.org.models import DepartmentKind


class Target(models.TextChoices):
    """The form field a rule votes for."""

    NATURE = "nature", _("Nature")
    SEVERITY = "severity", _("Severity")
    DEPARTMENT = "department", _("Department concerned")


# The values a rule may give, per target.
TARGET_VALUES: dict[str, type[models.TextChoices]] = {
    Target.NATURE: Nature,
    Target.SEVERITY: Severity,
    Target.DEPARTMENT: DepartmentKind,
}


class Language(models.TextChoices):
    """Which texts a rule is tried on: Chinese texts, English texts, or both."""

    ANY = "any", _("Any language")
    ZH = "zh", _("Chinese")
    EN = "en", _("English")


class MatchMode(models.TextChoices):
    WORD = "word", _("Whole word")
    PART = "part", _("Part of a word")


class Confidence(models.TextChoices):
    HIGH = "high", _("High confidence")
    MEDIUM = "medium", _("Medium confidence")
    LOW = "low", _("Low confidence — check")
    NONE = "none", _("No suggestion")


class Entry(models.TextChoices):
    """Where the complaint was entered, i.e. who looked at the suggestion."""

    UI = "ui", _("Intake form")
    API = "api", _("API")
    IMPORT = "import", _("File import")
    OTHER = "other", _("Other")


class RevisionAction(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    OVERRIDDEN = "overridden", _("Built-in rule adapted for the group")
    DISABLED = "disabled", _("Disabled")
    ENABLED = "enabled", _("Enabled")
