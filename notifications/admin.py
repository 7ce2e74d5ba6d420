"""The outbox in the deployment administrator's admin: read-only, searchable, with the
resend of failed rows as an action (through ``delivery.resend``). Subscriptions change only
through ``subscriptions.set_subscription``, which writes the audit row; the histories are
append-only. School staff use the portal's pages instead."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from school.admin_site import ReadOnlyAdmin

from . import delivery
from .models import Notification, NotificationChange, Status, Subscription, SubscriptionChange

GUARDIAN_SEARCH = ("guardian__last_name", "guardian__first_name", "guardian__middle_name")
STUDENT_SEARCH = ("student__last_name", "student__first_name", "student__middle_name")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
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
    search_fields = (
        "to_address",
        "idempotency_key",
        "provider_message_id",
        "error",
        *GUARDIAN_SEARCH,
    )
    date_hierarchy = "created_at"
    list_select_related = ("guardian",)
    raw_id_fields = ("guardian", "student", "school")
    actions = ("resend_failed",)

    @admin.action(description=_("Отправить повторно (только «не доставлено»)"))
    def resend_failed(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        failed = list(queryset.filter(status=Status.FAILED))
        for notification in failed:
            delivery.resend(notification=notification, actor=request.user)
        self.message_user(
            request,
            _("Поставлено в очередь: %(count)d") % {"count": len(failed)},
            messages.SUCCESS,
        )


@admin.register(NotificationChange)
class NotificationChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "object_id", "action", "actor", "old", "new")
    list_filter = ("action",)
    search_fields = ("actor__last_name", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    raw_id_fields = ("actor",)


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("guardian", "student", "kind", "channel", "enabled", "frequency", "set_by")
    list_filter = ("kind", "channel", "enabled", "frequency")
    search_fields = (*GUARDIAN_SEARCH, *STUDENT_SEARCH, "statement_number")
    list_select_related = ("guardian", "student", "set_by")
    raw_id_fields = ("guardian", "student", "set_by")


@admin.register(SubscriptionChange)
class SubscriptionChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "guardian", "student", "kind", "channel", "source", "actor")
    list_filter = ("source", "kind", "channel")
    search_fields = (*GUARDIAN_SEARCH, *STUDENT_SEARCH)
    date_hierarchy = "at"
    list_select_related = ("guardian", "student", "actor")
    raw_id_fields = ("guardian", "student", "actor")
