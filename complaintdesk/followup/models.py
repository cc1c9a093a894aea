"""Pending matters (未了事宜, SPEC §5): the ledger row of a complaint in workflow B, its home
visit (major complaints) and every contact with the customer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import Nature
from complaintdesk.complaints.models import Complaint
from complaintdesk.followup.choices import ContactChannel, ContactOutcome
from complaintdesk.org.models import Store


class PendingMatter(models.Model):
    """One complaint's pending matter, opened when the GM approves it (approve_pending) and
    closed when the customer returns (resume). A complaint that becomes pending again reopens
    the same row, so the ledger keeps one line per complaint and all its contacts.

    Written only by complaintdesk.followup.services; the last-contact columns are copies of the
    newest PendingContact so that the ledger filters and sorts without a subquery.
    """

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="pending_matter"
    )
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Nature.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved by the GM at"))
    opened_at = models.DateTimeField(_("pending since"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # SPEC §5: a major complaint — the GM is asked, then the customer manager visits.
    home_visit_required = models.BooleanField(_("home visit required"), default=False)
    home_visit_on = models.DateField(_("home visit on"), null=True, blank=True)
    home_visit_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    home_visit_outcome = models.TextField(_("home visit outcome"), blank=True)
    next_contact_on = models.DateField(_("next contact on"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    last_contact_outcome = models.CharField(
        _("last contact outcome"), max_length=20, choices=ContactOutcome.choices, blank=True
    )
    # The monthly reminder (SPEC §5, the 4th) that last listed this matter.
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("pending matter")
        verbose_name_plural = _("pending matters")
        ordering = ["opened_at", "id"]
        indexes = [
            # The ledgers and the monthly reminder: a store's open matters by age.
            models.Index(
                fields=["store", "opened_at"],
                name="pending_open_by_age",
                condition=models.Q(closed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.complaint.number} ({self.get_reason_display()})"


class PendingContact(models.Model):
    """One contact with the customer about a pending matter: when, who, how, what came of it."""

    matter = models.ForeignKey(PendingMatter, on_delete=models.CASCADE, related_name="contacts")
    contacted_at = models.DateTimeField(_("contacted at"))
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ContactOutcome.choices)
    note = models.TextField(_("what changed"), blank=True)
    next_contact_on = models.DateField(_("next contact on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pending matter contact")
        verbose_name_plural = _("pending matter contacts")
        ordering = ["contacted_at", "id"]

    def __str__(self):
        return f"{self.contacted_at:%Y-%m-%d} {self.get_outcome_display()}"
