"""The wording of the consent (152-ФЗ art. 9 part 4) and of its withdrawal.

The consent is a separate document (the rule in force since 01.09.2025): nothing else is
signed with it. Its wording lives in ``ConsentText`` versions; the default below is version
1 (created by the data migration ``0002_default_consent_text``). A changed wording is a new
version published through the admin, never an edit of a published one: a new version asks
guardians again.

Identity documents and addresses. Art. 9 part 4 wants, in a written consent, the address
and the identity document (number, date, issuer) of the child and of the representative,
and the document giving the representative's authority (for a parent, the child's birth
certificate). The system does not store passports (data minimisation, art. 5 part 5): the
school already holds copies of these documents in the student's file (личное дело), since
the admission application comes with a copy of the parent's identity document and of the
birth certificate (Порядок приёма, приказ Минпросвещения России от 02.09.2020 № 458,
п. 26). So the text shown in the cabinet refers to those copies, and the guardian's
identity was checked when the school gave out the login; the paper form leaves the same
places blank, to be written in by hand. That is the reading a school lawyer accepts: every
item of art. 9 part 4 is present, either written in or identified by a document the
operator keeps.

Placeholders: the ones documented on ``ConsentText.body`` — {guardian},
{guardian_document}, {guardian_address}, {children}, {operator}, {operator_address},
{operator_ogrn}, {operator_inn} — and three more: {children_documents} (the children's
identity documents and addresses), {authority_document} (the birth certificate or another
document of authority) and {box} (a tick box on paper, a dash on screen, before each
channel). Unknown placeholders are left as they are; stray braces are harmless.

The processor (an organisation hosting the system for the school, art. 9 part 4 item 6) is
written into the text when a version is made, from the setting ``CONSENT_PROCESSOR`` (its
name and address; empty: nobody processes on the school's behalf): a new processor means
a new version, so that guardians are asked again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from django.conf import settings

from school.models import Guardian, School, Student
from school.selectors import with_current_class

from .models import ConsentText

DEFAULT_TITLE = (
    "Согласие на обработку персональных данных для ведения электронного журнала "
    "и электронного дневника"
)

PROCESSOR_NONE = "обработка персональных данных другим лицам не поручается"

_BODY = """\
Я, {guardian},
документ, удостоверяющий личность: {guardian_document},
адрес места жительства: {guardian_address},
являясь родителем (законным представителем) несовершеннолетнего (несовершеннолетних):
{children},
документы, удостоверяющие личность ребёнка (детей), и адрес места жительства ребёнка \
(детей): {children_documents},
документ, подтверждающий мои полномочия законного представителя: {authority_document},

в соответствии со статьёй 9 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных \
данных» свободно, своей волей и в своём интересе, а также в интересе ребёнка (детей) даю \
согласие оператору персональных данных — {operator} (адрес: {operator_address}; ОГРН \
{operator_ogrn}; ИНН {operator_inn}), далее — Оператор, на обработку моих персональных \
данных и персональных данных ребёнка (детей) на следующих условиях.

1. Цель обработки: ведение электронного журнала успеваемости и электронного дневника \
обучающегося, информирование меня о текущей успеваемости ребёнка (детей) при предоставлении \
услуги «Предоставление информации о текущей успеваемости учащегося, ведение электронного \
дневника и электронного журнала успеваемости» (пункт 8 приложения № 1 к распоряжению \
Правительства Российской Федерации от 17.12.2009 № 1993-р).

2. Перечень персональных данных, на обработку которых даётся согласие:
— данные ребёнка (детей): фамилия, имя, отчество; пол; дата рождения; класс, учебные \
группы, даты зачисления и выбытия; отметки текущего контроля успеваемости, промежуточной \
аттестации и итоговые отметки; сведения о посещаемости занятий и причинах пропусков; \
домашние задания, замечания и комментарии педагогов; расписание занятий; учётная запись \
обучающегося в электронном дневнике, если она выдана;
— мои данные: фамилия, имя, отчество; кем я прихожусь ребёнку; номер мобильного телефона \
и адрес электронной почты, если я сообщил(а) их для получения информации; сведения о данных \
мной согласиях, отказах и их отзыве; учётная запись в электронном дневнике; дата, время \
и IP-адрес входа и действий в личном кабинете;
— сведения, указанные в настоящем согласии (реквизиты документов, адреса места жительства).

3. Лицо, осуществляющее обработку персональных данных по поручению Оператора: \
{processor}.

4. Перечень действий с персональными данными: сбор, запись, систематизация, накопление, \
хранение, уточнение (обновление, изменение), извлечение, использование, передача \
(предоставление, доступ) мне, ребёнку и работникам Оператора в пределах их должностных \
обязанностей, блокирование, удаление, уничтожение. Распространение персональных данных \
(раскрытие их неопределённому кругу лиц) настоящим согласием не предусмотрено.
Общее описание способов обработки: смешанная обработка — автоматизированная (с \
использованием средств вычислительной техники в информационной системе «Электронный \
дневник», с передачей по сети «Интернет» по защищённому соединению) и без использования \
средств автоматизации (заявления, бумажные выписки из электронного дневника).

5. Способы получения информации. Прошу предоставлять мне информацию о текущей успеваемости \
ребёнка (детей) только теми способами, которые я отметил(а); каждый способ выбирается \
отдельно, и согласие на него может быть дано или отозвано независимо от других:
{box} в личном кабинете электронного дневника (веб-интерфейс);
{box} по электронной почте на указанный мной адрес;
{box} SMS-сообщениями на указанный мной номер мобильного телефона.
Если не отмечен ни один способ, информация предоставляется мне в бумажной форме (выписки \
из электронного дневника) через классного руководителя.

6. Срок действия согласия: с даты его подписания (предоставления в личном кабинете) до \
окончания обучения ребёнка (детей) у Оператора либо до отзыва согласия. По истечении срока \
действия или при отзыве согласия Оператор прекращает обработку персональных данных в \
указанных целях и уничтожает их в срок, не превышающий 30 дней, за исключением сведений, \
обработку и хранение которых Оператор обязан осуществлять в соответствии с законодательством \
Российской Федерации (индивидуальный учёт результатов освоения обучающимися образовательных \
программ и хранение информации об этих результатах — пункт 11 части 3 статьи 28 \
Федерального закона от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации»).

7. Порядок отзыва согласия: согласие может быть отозвано мной полностью или в части \
отдельных способов получения информации в любое время — письменным заявлением, поданным \
Оператору лично или направленным почтовым отправлением по адресу Оператора, либо в личном \
кабинете электронного дневника (раздел «Согласие на обработку данных»).

8. Мне разъяснены права субъекта персональных данных, в том числе право на получение \
сведений об обработке моих персональных данных и персональных данных ребёнка (статья 14 \
Федерального закона № 152-ФЗ), а также то, что отказ от дачи согласия не лишает меня права \
получать информацию об успеваемости ребёнка в бумажной форме. Настоящее согласие оформлено \
отдельным документом."""


def default_body(processor: str = "") -> str:
    """The default wording with the processor written in (see the module's docstring)."""
    return _BODY.replace("{processor}", processor.strip() or PROCESSOR_NONE)


def configured_body() -> str:
    """The default wording with the processor from the setting ``CONSENT_PROCESSOR``."""
    return default_body(getattr(settings, "CONSENT_PROCESSOR", ""))


DEFAULT_BODY = default_body()

WITHDRAWAL_TITLE = "Заявление об отзыве согласия на обработку персональных данных"

WITHDRAWAL_BODY = """\
Я, {guardian},
документ, удостоверяющий личность: {guardian_document},
адрес места жительства: {guardian_address},
являясь родителем (законным представителем) несовершеннолетнего (несовершеннолетних):
{children},

в соответствии с частью 2 статьи 9 Федерального закона от 27.07.2006 № 152-ФЗ «О \
персональных данных» отзываю согласие на обработку персональных данных для ведения \
электронного журнала и электронного дневника, данное мной {given} оператору персональных \
данных — {operator} (адрес: {operator_address}; ОГРН {operator_ogrn}; ИНН {operator_inn}), \
далее — Оператор.

Отзываю согласие (отметьте):
{box} полностью — на обработку персональных данных для электронного дневника и на все \
способы получения информации;
{box} только в части способов получения информации: {box} в личном кабинете электронного \
дневника; {box} по электронной почте; {box} SMS-сообщениями.

Прошу прекратить обработку персональных данных в целях, указанных в согласии, и уничтожить \
персональные данные, обработка которых больше не требуется, в срок, не превышающий 30 дней \
с даты поступления настоящего заявления (часть 5 статьи 21 Федерального закона № 152-ФЗ).

Мне разъяснено, что:
— с даты поступления заявления Оператор прекращает обработку персональных данных в целях \
электронного дневника в отозванной части: при полном отзыве закрывается доступ к дневнику \
ребёнка в личном кабинете и прекращаются рассылки по электронной почте и SMS;
— электронный журнал успеваемости (отметки, посещаемость) Оператор продолжает вести и \
хранить без согласия, поскольку это его обязанность (пункт 11 части 3 статьи 28 Федерального \
закона от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации»; часть 2 статьи 9, \
пункт 2 части 1 статьи 6 Федерального закона № 152-ФЗ);
— информацию о текущей успеваемости ребёнка я могу получать в бумажной форме через \
классного руководителя; согласие может быть дано снова в любое время."""

# What stands in the places the system does not fill: a reference to the copies in the
# student's file on screen, a blank line with a hint on paper.
ON_FILE_GUARDIAN_DOCUMENT = (
    "реквизиты — согласно копии, представленной при приёме ребёнка в образовательную "
    "организацию и хранящейся в личном деле обучающегося; личность подтверждена Оператором "
    "при выдаче учётной записи электронного дневника"
)
ON_FILE_GUARDIAN_ADDRESS = (
    "указан в заявлении о приёме ребёнка в образовательную организацию, хранящемся в личном "
    "деле обучающегося"
)
ON_FILE_CHILDREN_DOCUMENTS = (
    "согласно копиям документов, представленным при приёме в образовательную организацию "
    "и хранящимся в личном деле обучающегося"
)
ON_FILE_AUTHORITY = (
    "свидетельство о рождении ребёнка (иной документ, подтверждающий полномочия законного "
    "представителя), копия которого хранится в личном деле обучающегося"
)

LINE = "_" * 36
SHORT = "_" * 12
NBSP = "\u00a0"
# A date or a number kept on one line: a wrapped «____ г.» is hard to fill in by hand.
DATE_BLANK = NBSP.join(["«____»", SHORT, "______", "г."])
NUMBER_BLANK = f"серия{NBSP}{'_' * 7} №{NBSP}{SHORT}"
PAPER_GUARDIAN_DOCUMENT = (
    f"{SHORT} (вид документа) {NUMBER_BLANK}, выдан {DATE_BLANK}, кем выдан: {LINE} {LINE}"
)
PAPER_ADDRESS = f"{LINE} {LINE}"
PAPER_CHILDREN_DOCUMENTS = (
    f"свидетельство о рождении (паспорт) {NUMBER_BLANK}, выдано {DATE_BLANK}; адрес: {LINE} {LINE}"
)
PAPER_AUTHORITY = f"свидетельство о рождении ребёнка / иной документ: {LINE} {SHORT}"
PAPER_GIVEN = NBSP.join(["«____»", "______________", "20____", "г."])
BLANK = "_" * 20
NOT_GIVEN = "не указан"

BOX_PAPER = "☐"
BOX_SCREEN = "—"

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, values: dict[str, str]) -> str:
    """Replace the known ``{name}`` placeholders; anything else is left as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), template)


def by_school(students: Iterable[Student]) -> list[tuple[School, list[Student]]]:
    """The children grouped by their school (the operator), in the order given: a consent
    is given to one operator, so a family in two schools signs two."""
    groups: dict[int, tuple[School, list[Student]]] = {}
    for student in students:
        groups.setdefault(student.school_id, (student.school, []))[1].append(student)
    return list(groups.values())


def class_names(students: list[Student]) -> dict[int, str]:
    """{student id: «5А»}, the class each child is in today."""
    if not students:
        return {}
    rows = with_current_class(
        Student.objects.filter(pk__in=[s.pk for s in students]), students[0].school.local_today()
    ).values_list("pk", "current_grade", "current_letter")
    return {pk: f"{grade}{letter}" for pk, grade, letter in rows if grade}


def child_line(student: Student, *, class_name: str = "") -> str:
    """«Соколов Максим Игоревич, 14.03.2015 г. р.», with the class on paper."""
    line = f"{student.full_name}, {student.birth_date:%d.%m.%Y} г. р."
    if class_name:
        studying = "обучающаяся" if student.gender == "f" else "обучающийся"
        line += f", {studying} {class_name} класса"
    return line


def _operator_values(
    school: School | None, mark: Callable[[str], str], *, paper: bool
) -> dict[str, str]:
    """The school's card; a missing detail is a blank on paper and «не указан» on screen
    (``missing_operator_details`` tells the staff what to fill in)."""

    def value(text: str) -> str:
        if text:
            return mark(text)
        return BLANK if paper else NOT_GIVEN

    return {
        "operator": value(school.name if school else ""),
        "operator_address": value(school.address if school else ""),
        "operator_ogrn": value(school.ogrn if school else ""),
        "operator_inn": value(school.inn if school else ""),
    }


def _values(
    guardian: Guardian,
    students: list[Student],
    *,
    paper: bool,
    classes: dict[int, str] | None,
    mark: Callable[[str], str],
) -> dict[str, str]:
    if paper and classes is None:
        classes = class_names(students)
    classes = classes or {}
    children = "; ".join(
        mark(child_line(s, class_name=classes.get(s.pk, "") if paper else "")) for s in students
    )
    school = students[0].school if students else None
    return {
        "guardian": mark(guardian.full_name),
        "guardian_document": PAPER_GUARDIAN_DOCUMENT if paper else ON_FILE_GUARDIAN_DOCUMENT,
        "guardian_address": PAPER_ADDRESS if paper else ON_FILE_GUARDIAN_ADDRESS,
        "children": children or (PAPER_ADDRESS if paper else NOT_GIVEN),
        "children_documents": PAPER_CHILDREN_DOCUMENTS if paper else ON_FILE_CHILDREN_DOCUMENTS,
        "authority_document": PAPER_AUTHORITY if paper else ON_FILE_AUTHORITY,
        "box": BOX_PAPER if paper else BOX_SCREEN,
        **_operator_values(school, mark, paper=paper),
    }


def _same(text: str) -> str:
    return text


def rendered_text(
    text: ConsentText,
    guardian: Guardian,
    students: list[Student],
    *,
    paper: bool = False,
    classes: dict[int, str] | None = None,
    mark: Callable[[str], str] = _same,
) -> str:
    """The consent's wording for this family, as the guardian reads and accepts it.

    The operator is the children's school; a consent is given to one operator, so if the
    children study in several schools the first child's school is named (callers that can
    should ask once per school, see ``by_school``; the paper form does). On screen the
    documents and addresses refer to the copies in the student's file; ``paper=True``
    leaves blank lines for them and puts the class after each child's name (``classes``:
    {student id: «5А»}). ``mark`` wraps each value taken from the database (the PDF
    underlines them as written in)."""
    return fill(text.body, _values(guardian, students, paper=paper, classes=classes, mark=mark))


def given_description(on: dt.date | None, *, form: str = "", version: int | None = None) -> str:
    """«14.03.2026 (на бумаге, с подписью; текст согласия, версия 1)», or a blank date."""
    if on is None:
        return PAPER_GIVEN
    details = [form] if form else []
    if version:
        details.append(f"текст согласия, версия {version}")
    suffix = f" ({'; '.join(details)})" if details else ""
    return f"{on:%d.%m.%Y}{suffix}"


def withdrawal_text(
    guardian: Guardian,
    students: list[Student],
    *,
    given: str = PAPER_GIVEN,
    paper: bool = True,
    classes: dict[int, str] | None = None,
    mark: Callable[[str], str] = _same,
) -> str:
    """The withdrawal statement for this family (``given``: when and how the withdrawn
    consent was given, see ``given_description``)."""
    values = _values(guardian, students, paper=paper, classes=classes, mark=mark)
    values["given"] = given
    return fill(WITHDRAWAL_BODY, values)


def missing_operator_details(school: School) -> list[str]:
    """The operator's details a consent needs and the school's card lacks."""
    labels = {"address": "адрес", "ogrn": "ОГРН", "inn": "ИНН"}
    return [label for field, label in labels.items() if not getattr(school, field)]
