from django.contrib import admin

from complaintdesk.triage.models import TriageRecord, TriageRule, TriageRuleRevision


class ReadOnly(admin.ModelAdmin):
    """Written by triage.services only (rule edits with their revision, records at intake)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TriageRule)
class TriageRuleAdmin(ReadOnly):
    """Edited by CS directors at /triage/rules/ (each change with its history row)."""

    list_display = ["keyword", "language", "match", "target", "value", "weight", "enabled", "group"]
    list_filter = ["target", "language", "enabled", "group"]
    search_fields = ["keyword", "note"]


@admin.register(TriageRuleRevision)
class TriageRuleRevisionAdmin(ReadOnly):
    list_display = ["rule", "action", "actor", "created_at"]
    list_filter = ["action"]


@admin.register(TriageRecord)
class TriageRecordAdmin(ReadOnly):
    list_display = [
        "complaint",
        "entry",
        "suggested_nature",
        "nature_confidence",
        "chosen_nature",
        "nature_accepted",
        "created_at",
    ]
    list_filter = ["entry", "suggested_nature", "nature_confidence", "nature_accepted"]
