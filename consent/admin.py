"""Consent in the deployment administrator's admin. Publishing a new version of the
consent's text goes through ``services.publish_text`` (a published text never changes);
consent records, statements, contacts, the offline list and the audit are read-only here:
only the services write them (the family card and the guardian's cabinet). Scans of paper
statements are not linked: they are served only by the family card's checked view."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from school.admin_site import ReadOnlyAdmin

from . import services
from .models import ConsentRecord, ConsentText, Contact, FamilyDataChange, OfflineFamily

GUARDIAN_SEARCH = ("guardian__last_name", "guardian__first_name", "guardian__middle_name")


class PublishTextForm(forms.ModelForm):
    class Meta:
        model = ConsentText
        fields = ("title", "body", "published_at")
        help_texts = {
            "published_at": _(
                "Пусто — действует сразу. Родители, давшие согласие на прежний текст в "
                "личном кабинете, увидят новый при следующем входе."
            )
        }


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ("version", "title", "published_at", "created_at")
    search_fields = ("title", "body")
    date_hierarchy = "published_at"
    form = PublishTextForm

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        current = services.current_text()
        return {"title": current.title, "body": current.body} if current else {}

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ConsentText, form, change: bool) -> None:
        try:
            text = services.publish_text(
                title=obj.title,
                body=obj.body,
                actor=request.user,
                published_at=obj.published_at,
            )
        except ValidationError as error:  # the form checked the same; kept for races
            raise ValidationError(error.messages) from error
        obj.pk, obj.version, obj.published_at = text.pk, text.version, text.published_at
        obj.created_at, obj.updated_at = text.created_at, text.updated_at


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "recorded_at",
        "guardian",
        "decision",
        "scope_list",
        "form",
        "paper_number",
        "paper_date",
        "text",
        "recorded_by",
    )
    list_filter = ("decision", "form", "text")
    search_fields = (*GUARDIAN_SEARCH, "paper_number", "students__last_name")
    date_hierarchy = "recorded_at"
    list_select_related = ("guardian", "text", "recorded_by")
    exclude = ("scan",)
    readonly_fields = ("has_scan",)

    @admin.display(description=_("на что"))
    def scope_list(self, record: ConsentRecord) -> str:
        return ", ".join(record.scope_labels)

    @admin.display(description=_("скан заявления"), boolean=True)
    def has_scan(self, record: ConsentRecord) -> bool:
        return bool(record.scan)


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = (
        "guardian",
        "kind",
        "number_or_address",
        "source",
        "statement_number",
        "statement_date",
        "confirmed_at",
        "is_active",
        "created_by",
    )
    list_filter = ("kind", "source", "is_active")
    search_fields = (*GUARDIAN_SEARCH, "phone", "email", "statement_number")
    list_select_related = ("guardian", "created_by")

    @admin.display(description=_("номер или адрес"))
    def number_or_address(self, contact: Contact) -> str:
        return contact.display


@admin.register(OfflineFamily)
class OfflineFamilyAdmin(ReadOnlyAdmin):
    list_display = ("guardian", "note", "marked_by", "created_at")
    search_fields = (*GUARDIAN_SEARCH, "note")
    list_select_related = ("guardian", "marked_by")


@admin.register(FamilyDataChange)
class FamilyDataChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "guardian", "actor", "what")
    list_filter = ("kind", "action")
    search_fields = GUARDIAN_SEARCH
    date_hierarchy = "at"
    list_select_related = ("guardian", "actor")
