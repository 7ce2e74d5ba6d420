"""The outbox in the deployment administrator's admin: read-only, searchable, with the
resend of failed rows as an action. School staff use the portal's pages instead."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import delivery
from .models import Notification, NotificationChange, Status, Subscription, SubscriptionChange


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "created_at",
        "kind",
        "channel",
        "status",
        "guardian",
        "to_address",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "kind", "channel", "school")
    search_fields = ("to_address", "idempotency_key", "provider_message_id", "error")
    date_hierarchy = "created_at"
    list_select_related = ("guardian",)
    raw_id_fields = ("guardian", "student", "school")
    actions = ("resend_failed",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description="Отправить повторно (только «не доставлено»)")
    def resend_failed(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        failed = list(queryset.filter(status=Status.FAILED))
        for notification in failed:
            delivery.resend(notification=notification, actor=request.user)
        self.message_user(request, f"Поставлено в очередь: {len(failed)}", messages.SUCCESS)


@admin.register(NotificationChange)
class NotificationChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "notification", "action", "actor")
    list_filter = ("action",)
    raw_id_fields = ("notification", "actor")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("guardian", "student", "kind", "channel", "enabled", "frequency", "set_by")
    list_filter = ("kind", "channel", "enabled", "frequency")
    raw_id_fields = ("guardian", "student", "set_by")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # changes go through set_subscription, which writes the audit row

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SubscriptionChange)
class SubscriptionChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "guardian", "student", "kind", "channel", "source", "by")
    list_filter = ("source", "kind", "channel")
    raw_id_fields = ("guardian", "student", "by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
