"""The vocabulary of the handling playbook (SPEC §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import StepKind


class EntryKind(models.TextChoices):
    PRINCIPLE = "principle", _("Handling principle")
    SCRIPT = "script", _("Script")
    PHRASE = "phrase", _("Hotline phrase")


# The panel and the list show principles first, then scripts, then the hotline phrases.
KIND_ORDER = {EntryKind.PRINCIPLE: 0, EntryKind.SCRIPT: 1, EntryKind.PHRASE: 2}


class Effect(models.TextChoices):
    """What a customer's answer to a script does to the complaint (SPEC §8: each answer either
    ends the complaint or lets it continue)."""

    ENDS = "ends", _("Ends the complaint")
    CONTINUES = "continues", _("The complaint continues")


# The workflow steps an entry can be tied to: the steps of the complaint's states (the
# regulatory deadlines that run beside them are not moments of a conversation).
WORKFLOW_STEPS = (
    StepKind.REGISTER,
    StepKind.DETERMINE,
    StepKind.APPROVE_PENDING,
    StepKind.PENDING,
    StepKind.REVIEW,
    StepKind.DECIDE,
    StepKind.ACCOUNTABILITY,
    StepKind.CALLBACK,
    StepKind.ARCHIVE,
)
STEP_CHOICES = [(k.value, k.label) for k in WORKFLOW_STEPS]
