from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.diary_world import DiaryWorld, build_diary_world
from tests.once import built_once, copy_of
from tests.world import PASSWORD


@pytest.fixture(scope="module")
def _diary_world_once(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build_diary_world) as world:
        yield world


@pytest.fixture
def dw(db, _diary_world_once) -> DiaryWorld:
    """``build_diary_world()``, built once per module; what a test writes is rolled back."""
    return copy_of(_diary_world_once)


def login(world: DiaryWorld, role: str) -> Client:
    """A client signed in through the login form, as people do."""
    client = Client()
    user = world.users[role] if role in world.users else getattr(world, role)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, f"{role} could not log in"
    return client


@pytest.fixture
def as_role(dw):
    clients: dict[str, Client] = {}

    def get(role: str) -> Client:
        if role not in clients:
            clients[role] = login(dw, role)
        return clients[role]

    return get


def url(name: str, *args, **params) -> str:
    """``reverse("diary:<name>", args)`` with a query string."""
    from urllib.parse import urlencode

    path = reverse(f"diary:{name}", args=args)
    return f"{path}?{urlencode(params)}" if params else path
