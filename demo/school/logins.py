"""The demo logins, one per role: for the printed table, the tests and the browser tests."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "demo2026"
ADMIN_USERNAME = "admin"


@dataclass(frozen=True)
class DemoLogin:
    role: str  # director, deputy, secretary, classteacher, teacher, parent, student, admin
    title: str  # the role in Russian, as the table prints it
    username: str
    sees: str  # what the role sees, in Russian
    school_index: int | None  # None for the administrator of the whole deployment
    password: str = DEMO_PASSWORD


# role, title, what the role sees: only what the portal does today
SCHOOL_ROLES: tuple[tuple[str, str, str], ...] = (
    ("director", "директор", "вся школа: обзор, классы и их журналы, контингент"),
    ("deputy", "завуч", "вся школа: обзор, классы и их журналы, контингент"),
    (
        "secretary",
        "секретарь",
        "контингент, контакты и согласия семей, список семей без личного кабинета",
    ),
    ("classteacher", "классный руководитель", "весь свой 5А и журналы своих предметов"),
    ("teacher", "учитель", "журналы математики в 5А и других своих классах; без своего класса"),
    ("parent", "родитель", "дневники двоих своих детей (5А и младший)"),
    ("student", "обучающийся", "свой дневник (5А)"),
)
ROLES: tuple[str, ...] = (*(role for role, _, _ in SCHOOL_ROLES), "admin")


def role_username(role: str, school_index: int) -> str:
    """``director`` in the first demo school, ``director2`` in the second, ..."""
    return role if school_index == 1 else f"{role}{school_index}"


def demo_logins(schools: int = 1) -> list[DemoLogin]:
    """Every demo login: the administrator, then each school's role logins."""
    logins = [
        DemoLogin("admin", "администратор", ADMIN_USERNAME, "админка Django, все школы", None)
    ]
    for index in range(1, schools + 1):
        logins += [
            DemoLogin(role, title, role_username(role, index), sees, index)
            for role, title, sees in SCHOOL_ROLES
        ]
    return logins


DEMO_LOGINS: tuple[DemoLogin, ...] = tuple(demo_logins(1))
