"""The school's Russian 404 and 403 pages in every mode: with ``DEBUG`` off (production)
and on (``make run``); Django's technical 404 page only when asked for
(``DJANGO_TECHNICAL_404=1``, ``settings.TECHNICAL_404``)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.world import build_world

pytestmark = pytest.mark.django_db

NOT_FOUND = "Страница не найдена"
FORBIDDEN = "Нет доступа"
TECHNICAL = "DEBUG = True"  # Django's technical pages say why you see them


@pytest.fixture
def world():
    return build_world(consent=False)


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("debug", [False, True])
def test_missing_pages_are_the_schools_russian_404(world, debug) -> None:
    """A URL that matches no pattern and an object a view does not find (``Http404``) both
    answer with templates/404.html, with the menu of the signed-in person."""
    client = _as(world.users["teacher"])
    with override_settings(DEBUG=debug):
        for url in ("/no-such-page/", reverse("class_detail", args=[world.class_5a.pk])):
            response = client.get(url)
            html = response.content.decode()
            assert response.status_code == 404, url
            assert NOT_FOUND in html and TECHNICAL not in html, url
            assert '<html lang="ru">' in html and "На главную" in html, url


@pytest.mark.parametrize("debug", [False, True])
def test_a_forbidden_page_is_the_schools_russian_403(world, debug) -> None:
    with override_settings(DEBUG=debug):
        response = _as(world.users["teacher"]).get(
            reverse("school_overview", args=[world.school.pk])
        )
    html = response.content.decode()
    assert response.status_code == 403
    assert FORBIDDEN in html and TECHNICAL not in html and '<html lang="ru">' in html


def test_an_anonymous_visitor_gets_the_404_page_too(world) -> None:
    with override_settings(DEBUG=True):
        response = Client().get("/no-such-page/")
    assert response.status_code == 404 and NOT_FOUND in response.content.decode()


def test_the_technical_404_only_when_asked_for(world) -> None:
    """``DJANGO_TECHNICAL_404=1`` with ``DEBUG``: Django's page with the URL patterns it
    tried; never without ``DEBUG`` (it would show the URL map to anyone)."""
    client = _as(world.users["teacher"])
    with override_settings(DEBUG=True, TECHNICAL_404=True):
        html = client.get("/no-such-page/").content.decode()
        assert TECHNICAL in html and NOT_FOUND not in html
    with override_settings(DEBUG=False, TECHNICAL_404=True):
        html = client.get("/no-such-page/").content.decode()
        assert NOT_FOUND in html and TECHNICAL not in html
