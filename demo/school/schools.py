"""The demo schools' details: village schools of Бахчисарайский район, Республика Крым.

A demo school is found again by its ИНН, which depends only on the school's index, so a
second ``seed_demo`` run recognises the schools it made.
"""

from __future__ import annotations

from dataclasses import dataclass

from .names import translit

DISTRICT = "Бахчисарайский район"
REGION = "Республика Крым"
TIMEZONE = "Europe/Simferopol"
PHONE_CODE = "36554"  # Бахчисарай and its district

# (adjective in the school's name, settlement, street, house, postcode)
VILLAGE_SCHOOLS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Плодовская", "с. Плодовое", "ул. Фрунзе", "д. 46", "298453"),
    ("Табачненская", "с. Табачное", "ул. Ленина", "д. 21", "298464"),
    ("Угловская", "с. Угловое", "ул. Школьная", "д. 1", "298472"),
    ("Песчановская", "с. Песчаное", "ул. Советская", "д. 18", "298480"),
    ("Красномакская", "с. Красный Мак", "ул. Победы", "д. 3", "298446"),
    ("Тенистовская", "с. Тенистое", "ул. Мира", "д. 9", "298455"),
    ("Почтовская", "пгт Почтовое", "ул. Садовая", "д. 12", "298470"),
)


@dataclass(frozen=True)
class SchoolSpec:
    index: int
    name: str
    short_name: str
    address: str
    ogrn: str
    inn: str
    phone: str
    email: str
    timezone: str = TIMEZONE
    week_days: int = 5

    def model_fields(self) -> dict[str, object]:
        return {
            "name": self.name,
            "short_name": self.short_name,
            "address": self.address,
            "ogrn": self.ogrn,
            "inn": self.inn,
            "phone": self.phone,
            "email": self.email,
            "timezone": self.timezone,
            "week_days": self.week_days,
        }


def inn_check_digit(first9: str) -> str:
    """The control digit of a 10-digit (organisation) ИНН."""
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return str(sum(int(d) * w for d, w in zip(first9, weights, strict=True)) % 11 % 10)


def ogrn_check_digit(first12: str) -> str:
    """The control digit of a 13-digit ОГРН: the 12-digit number mod 11, mod 10."""
    return str(int(first12) % 11 % 10)


def is_valid_inn(inn: str) -> bool:
    return len(inn) == 10 and inn.isdigit() and inn_check_digit(inn[:9]) == inn[9]


def is_valid_ogrn(ogrn: str) -> bool:
    return len(ogrn) == 13 and ogrn.isdigit() and ogrn_check_digit(ogrn[:12]) == ogrn[12]


def school_spec(index: int) -> SchoolSpec:
    """The details of demo school number ``index`` (1, 2, ...)."""
    # ИНН 9104…: Республика Крым, the tax office of Бахчисарайский район.
    inn9 = f"91040{7000 + index:04d}"
    # ОГРН 1 14 91 02 …: a legal entity registered in 2014 in Республика Крым.
    ogrn12 = f"1149102{31000 + index * 37:05d}"
    if index <= len(VILLAGE_SCHOOLS):
        adjective, place, street, house, postcode = VILLAGE_SCHOOLS[index - 1]
        full = f"«{adjective} средняя общеобразовательная школа»"
        name = (
            f"Муниципальное бюджетное общеобразовательное учреждение {full} "
            f"Бахчисарайского района Республики Крым"
        )
        short_name = f"МБОУ «{adjective} СОШ»"
        address = f"{postcode}, {REGION}, {DISTRICT}, {place}, {street}, {house}"
        slug = translit(adjective)
    else:
        number = index - len(VILLAGE_SCHOOLS)
        name = (
            "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
            f"общеобразовательная школа № {number}» города Бахчисарай Республики Крым"
        )
        short_name = f"МБОУ «СОШ № {number}» г. Бахчисарай"
        address = f"29840{number % 10}, {REGION}, г. Бахчисарай, ул. Ленина, д. {number * 7}"
        slug = f"bakhchisaray{number}"
    return SchoolSpec(
        index=index,
        name=name,
        short_name=short_name,
        address=address,
        ogrn=ogrn12 + ogrn_check_digit(ogrn12),
        inn=inn9 + inn_check_digit(inn9),
        phone=f"+7 ({PHONE_CODE}) {5 + index % 4}-{10 + index * 3 % 90:02d}-{40 + index:02d}",
        email=f"{slug}-sosh@example.org",
    )
