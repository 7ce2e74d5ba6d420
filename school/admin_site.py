"""The portal's admin site and what every ModelAdmin shares.

Titles in the right case. Django builds «Выберите %s для изменения», «Изменить %s», «Добавить
%s» and «Выберите %s» from the model's ``verbose_name``, in the nominative: «Изменить
обучающийся». Russian wants the accusative there («Изменить обучающегося», «Выберите родителя
(законного представителя) для изменения»). A model whose accusative differs from its
``verbose_name`` declares it next to its ``Meta`` as ``verbose_name_accusative``; models of
other packages have theirs in ``OTHER_ACCUSATIVES``. ``SchoolAdminSite.register`` gives every
ModelAdmin (ours, Django's, django-axes') the ``PortalAdmin`` mixin that uses it (and that
names the cells of inline tables for screen readers), so a new admin cannot forget it;
``tests/test_admin_titles.py`` asks every registered model for its accusative.

``ReadOnlyAdmin``: rows only the services write (journal entries, the diary's projection,
audit histories) are shown, searched and filtered in the admin but never added, changed or
deleted there; where the admin may write, it calls the service (``consent.admin``,
``school.admin.RosterServiceAdmin``).
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import Model
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The accusative of models we do not own, by label.
OTHER_ACCUSATIVES = {
    "auth.group": _("группу"),
    "axes.accessattempt": _("запись о попытке доступа"),
    "axes.accesslog": _("запись о доступе"),
    "axes.accessfailurelog": _("ошибку доступа"),
}


def accusative(model: type[Model] | admin.options.InlineModelAdmin) -> str:
    """«обучающегося»: the model's name as the object of «изменить», «выберите». An inline
    with a name of its own declares its accusative as the model does."""
    declared = getattr(model, "verbose_name_accusative", None)
    if isinstance(model, admin.options.InlineModelAdmin):
        if declared is not None or model.verbose_name != model.model._meta.verbose_name:
            return str(declared if declared is not None else model.verbose_name)
        model = model.model
        declared = getattr(model, "verbose_name_accusative", None)
    if declared is None:
        declared = OTHER_ACCUSATIVES.get(model._meta.label_lower)
    return str(declared if declared is not None else model._meta.verbose_name)


def _labelled(formset_class: type[BaseFormSet]) -> type[BaseFormSet]:
    """An inline table's cells have no <label> (the column's header names them): each
    field of each row, the «delete» box included, gets its label as ``aria-label``."""

    class Labelled(formset_class):
        def add_fields(self, form, index) -> None:
            super().add_fields(form, index)
            for field in form.fields.values():
                if field.label and not field.widget.is_hidden:
                    field.widget.attrs.setdefault("aria-label", capfirst(str(field.label)))

    Labelled.__name__ = formset_class.__name__
    return Labelled


class InlineAccusative(helpers.InlineAdminFormSet):
    """The inline's «add a row» link: «Добавить ещё родителя (законного представителя)»
    instead of Django's «Добавить еще один Родитель (законный представитель)»."""

    def inline_formset_data(self) -> str:
        data = json.loads(super().inline_formset_data())
        name = accusative(self.opts)
        data["options"]["addText"] = gettext("Добавить ещё %(name)s") % {"name": name}
        return json.dumps(data, ensure_ascii=False)


class PortalAdmin(admin.ModelAdmin):
    """What every ModelAdmin of the site gets: the list's, the form's and the «add»
    button's titles in the accusative; named cells in inline tables and named
    autocomplete fields (axe-core's ``label``, ``select-name``, ``aria-input-field-name``)."""

    class Media:
        js = ("js/admin-labels.js",)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            # Django builds them itself; only the link's text differs.
            inline_admin_formset.__class__ = InlineAccusative
        return inline_admin_formsets

    def get_formsets_with_inlines(self, request: HttpRequest, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield _labelled(formset), inline

    def get_changelist_instance(self, request: HttpRequest):
        changelist = super().get_changelist_instance(request)
        if changelist.is_popup:
            title = gettext("Select %s")
        elif self.has_change_permission(request):
            title = gettext("Select %s to change")
        else:
            title = gettext("Select %s to view")
        changelist.title = title % accusative(self.model)
        return changelist

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        add_label = gettext("Add %s") % accusative(self.model)
        return super().changelist_view(request, {"add_label": add_label, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            title = gettext("Add %s")
        elif self.has_change_permission(request, obj):
            title = gettext("Change %s")
        else:
            title = gettext("View %s")
        context["title"] = title % accusative(self.model)
        return super().render_change_form(request, context, add, change, form_url, obj)


class SchoolAdminSite(admin.AdminSite):
    site_header = _("Электронный журнал: администрирование")
    site_title = _("Электронный журнал")
    index_title = _("Справочники и данные школы")

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, PortalAdmin):
            admin_class = type(
                admin_class.__name__,
                (PortalAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)


class ReadOnlyPermissions:
    """Nothing added, changed or deleted here: only the services write these rows."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyPermissions, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyPermissions, admin.TabularInline):
    extra = 0
