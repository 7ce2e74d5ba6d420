"""The consent app's pages. Each view module keeps its own ``urlpatterns``:
``family`` (the guardian's consent screen and settings), ``staff`` (class lists, the family
card, the offline list), ``documents`` (the paper forms as PDF), ``export`` (what the
system holds about a family, 152-ФЗ art. 14)."""

from .views import documents, export, family, staff

app_name = "consent"

urlpatterns = [
    *family.urlpatterns,
    *staff.urlpatterns,
    *documents.urlpatterns,
    *export.urlpatterns,
]
