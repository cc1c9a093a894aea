from django.contrib import admin

from complaintdesk.guidance.models import GuidanceEntry, GuidanceRevision, ScriptUse


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: the playbook is edited on its own pages by the store's CS director (so that
    every edit leaves a revision), and script uses are recorded from the complaint page."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GuidanceEntry)
class GuidanceEntryAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "store", "title_zh", "title_en", "active", "version"]
    list_filter = ["kind", "store", "active"]


@admin.register(GuidanceRevision)
class GuidanceRevisionAdmin(ReadOnlyAdmin):
    list_display = ["entry", "editor", "created_at"]


@admin.register(ScriptUse)
class ScriptUseAdmin(ReadOnlyAdmin):
    list_display = [
        "complaint",
        "script_code",
        "branch_code",
        "effect",
        "ended",
        "used_by",
        "used_at",
    ]
    list_filter = ["effect", "ended"]
