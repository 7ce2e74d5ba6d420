"""The diary's rows of the authorization matrix (tests/authz_cases_diary.py): every diary
URL has rows; ``tests/authz/test_diary.py`` walks them for every role."""

from __future__ import annotations

import pytest

from tests.authz_cases_diary import CASES

pytestmark = pytest.mark.django_db


def test_every_diary_url_has_rows() -> None:
    """Each URL of the diary app is in the diary's cases."""
    from diary.urls import urlpatterns

    names = {f"diary:{pattern.name}" for pattern in urlpatterns}
    assert names == {case.url_name for case in CASES}
