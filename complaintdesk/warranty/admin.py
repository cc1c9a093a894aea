from django.contrib import admin

from complaintdesk.warranty import services
from complaintdesk.warranty.models import LegalRiskFlag, RepairVisit, WarrantyThreshold


@admin.register(WarrantyThreshold)
class WarrantyThresholdAdmin(admin.ModelAdmin):
    """The regulation's numbers as data (SPEC §9). A change of law: add a row with the new value
    and the date it takes effect; vehicles whose period started earlier keep the old row. Saving
    goes through the service, which re-evaluates open complaints. A store's own values are kept by
    its CS director on the thresholds page (/warranty/thresholds/)."""

    list_display = ["code", "value", "unit", "store", "effective_from", "citation", "updated_at"]
    list_filter = ["code", "store"]
    readonly_fields = ["updated_by", "updated_at"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        services.threshold_save_national(actor=request.user, threshold=obj)


@admin.register(RepairVisit)
class RepairVisitAdmin(admin.ModelAdmin):
    """Read-only: visits are recorded on the complaint page, through the API or imported."""

    list_display = ["repair_order", "store", "vehicle", "date_in", "date_out", "kind", "system"]
    list_filter = ["store", "kind", "system", "source"]
    search_fields = ["repair_order", "vehicle__vin", "vehicle__plate"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LegalRiskFlag)
class LegalRiskFlagAdmin(admin.ModelAdmin):
    list_display = ["complaint", "condition", "raised_at"]
    list_filter = ["condition"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
