"""Calendar and policies are data the system owns (SPEC §9): editable here. Each save or delete
recomputes the due times of open steps of the stores it touches."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from complaintdesk.deadlines.models import (
    Breach,
    CalendarDay,
    CalendarYear,
    DeadlinePolicy,
    JobRun,
    OfficeHours,
)
from complaintdesk.deadlines.services import calendar_changed


class RecomputeOnChange(admin.ModelAdmin):
    """Saving or deleting a row recomputes open steps of its store (all stores if national)."""

    def _recompute(self, request, obj):
        moved = calendar_changed(store=getattr(obj, "store", None))
        self.message_user(request, _("%(n)d open deadlines recomputed.") % {"n": moved})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._recompute(request, obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._recompute(request, obj)

    def delete_queryset(self, request, queryset):
        stores = {getattr(o, "store", None) for o in queryset}
        super().delete_queryset(request, queryset)
        for store in stores:
            calendar_changed(store=store)


@admin.register(CalendarYear)
class CalendarYearAdmin(RecomputeOnChange):
    list_display = ["year", "source", "note", "loaded_at"]


@admin.register(CalendarDay)
class CalendarDayAdmin(RecomputeOnChange):
    list_display = ["date", "kind", "name", "store"]
    list_filter = ["kind", "store", "date"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(OfficeHours)
class OfficeHoursAdmin(RecomputeOnChange):
    list_display = ["store", "weekday", "start", "end"]
    list_filter = ["store", "weekday"]


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(RecomputeOnChange):
    list_display = ["store", "deadline", "amount", "clock", "warn_percent"]
    list_filter = ["store", "clock"]


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):
    list_display = ["complaint", "step", "kind", "responsible", "due_at", "detected_at", "withdrawn_at"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in Breach._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["job", "store", "day", "started_at", "finished_at", "error"]
    list_filter = ["job", "store"]

    def has_add_permission(self, request):
        return False
