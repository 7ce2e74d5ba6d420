"""What every ModelAdmin of the portal shares.

``ReadOnlyAdmin``: rows only the services write (journal entries, the diary's projection,
audit histories) are shown, searched and filtered in the admin but never added, changed or
deleted there; where the admin may write, it calls the service (``consent.admin``,
``school.admin.RosterServiceAdmin``).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
