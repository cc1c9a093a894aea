from django.contrib import admin

from complaintdesk.followup.models import PendingContact, PendingMatter


class ContactInline(admin.TabularInline):
    model = PendingContact
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in PendingContact._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False  # contacts are recorded through the service (the ledger page or the API)


@admin.register(PendingMatter)
class PendingMatterAdmin(admin.ModelAdmin):
    """Read-only: matters open and close with the workflow (approve_pending / resume)."""

    list_display = ["complaint", "store", "reason", "opened_at", "closed_at", "next_contact_on"]
    list_filter = ["store", "reason"]
    inlines = [ContactInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
