"""Robots are configured per store here; notifications and the outbound log are read-only (they
are written by notify() and the worker only)."""

from django.contrib import admin

from complaintdesk.notifications.forms import WebhookEndpointForm
from complaintdesk.notifications.models import (
    Delivery,
    Digest,
    Notification,
    NotificationPreference,
    WebhookEndpoint,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "store", "kind", "active", "created_at"]
    list_filter = ["kind", "active", "store"]
    search_fields = ["name", "url", "store__name", "store__code"]
    autocomplete_fields = ["store"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "store", "kind", "title", "urgent", "read_at"]
    list_filter = ["kind", "urgent", "store"]
    search_fields = ["title", "dedupe_key", "recipient__username", "recipient__display_name"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "store"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "channel",
        "user",
        "endpoint",
        "title",
        "status",
        "attempts",
        "deliver_after",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "kind", "store"]
    search_fields = ["title", "dedupe_key", "user__username", "endpoint__name", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "endpoint"]


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["uid", "channel", "user", "endpoint", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["uid", "last_error", "user__username", "endpoint__name"]
    list_select_related = ["user", "endpoint"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "updated_at"]
    list_filter = ["email"]
    search_fields = ["user__username", "user__display_name"]
    autocomplete_fields = ["user"]
