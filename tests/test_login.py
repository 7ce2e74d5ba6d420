"""Login, lockout after repeated failures, logout and password change."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client, override_settings
from django.urls import reverse

from tests.world import PASSWORD, build_world

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_russian_and_declares_its_language() -> None:
    """The login page speaks Russian and says so to screen readers."""
    response = Client().get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru">' in html
    assert "Вход в электронный дневник" in html
    assert 'autocomplete="current-password"' in html


def test_wrong_password_gets_a_clear_russian_message() -> None:
    build_world()
    response = _login(Client(), "teacher", "wrong")
    assert response.status_code == 200
    assert "Неверный логин или пароль" in response.content.decode()


def test_good_password_opens_home() -> None:
    build_world()
    client = Client()
    response = _login(client, "teacher", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_login_even_with_the_right_password() -> None:
    """After the limit of failures, even the correct password is refused for a while,
    with a Russian page explaining what to do."""
    build_world()
    client = Client()
    for _ in range(3):
        _login(client, "teacher", "guess")
    response = _login(client, "teacher", PASSWORD)
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_of_one_login_does_not_block_another() -> None:
    build_world()
    client = Client()
    for _ in range(3):
        _login(client, "teacher", "guess")
    assert _login(client, "director", PASSWORD).status_code == 302


def test_logout_ends_the_session() -> None:
    build_world()
    client = Client()
    _login(client, "parent", PASSWORD)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_password_change_stores_an_argon2_hash() -> None:
    """A changed password is hashed with argon2 and the old one no longer works."""
    world = build_world()
    client = Client()
    _login(client, "parent", PASSWORD)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Лето-в-Крыму-2027",
            "new_password2": "Лето-в-Крыму-2027",
        },
    )
    assert response.status_code == 302
    user = world.users["parent"]
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert _login(Client(), "parent", PASSWORD).status_code == 200
    assert _login(Client(), "parent", "Лето-в-Крыму-2027").status_code == 302


def test_pages_are_russian_whatever_the_browser_language() -> None:
    """A phone set to English still gets the Russian school pages and dates."""
    build_world()
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    _login(client, "parent", PASSWORD)
    html = client.get(reverse("home")).content.decode()
    assert "Мои дети" in html
    assert '<html lang="ru">' in html
    assert any(
        month in html
        for month in (
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        )
    )


def test_the_language_switch_changes_the_language() -> None:
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()
