"""Benchmark the outbox: queue and deliver 10,000 SMS with one real Celery worker, and build
the e-mail digests of 1,000 families.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ediary_notif \\
        .venv/bin/python -m bench.notifications_bench [--notifications 10000] [--families 1000]

Creates the database ``ediary_notif_bench`` on the server of ``DATABASE_URL`` (dropping an
old one) and migrates it; makes ``--families`` families in one school with bulk inserts
(a child in a class, a mother with consent to SMS and e-mail, a confirmed phone and
address, teachers' messages by SMS chosen, a week of diary rows); starts the local fake
SMS.ru gateway in this process and ONE Celery worker (``celery -A config worker -P solo
-Q sms``, a separate process) on Redis (``--broker``, default db 14). Every key the
benchmark makes there is under its own prefix (``bench-notifications-<random>:``,
``bench/celery_app.py``) and only those keys are deleted afterwards: the database is never
flushed, whoever else uses it. Then:

1. queue: ``--notifications`` teachers' messages by SMS written through
   ``notifications.outbox.instant`` (500 per transaction, tasks published on commit), as
   the journal's receiver writes them;
2. deliver: wait until the worker has sent them all through ``SmsRuBackend`` over HTTP to
   the gateway; count what the gateway received;
3. digests: ``notifications.digests.send_digests("weekly")`` for all families, timed, with
   the queries counted (per batch of 500 families).

Prints the figures; drops the database unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.common import recreate_database, server_url, with_database

BENCH_DATABASE = "ediary_notif_bench"
API_KEY = "bench"
ROOT = Path(__file__).resolve().parent.parent


def make_school(families: int, messages_per_child: int) -> dict:
    """One school, ``families`` children each with a mother who may get SMS and e-mail,
    with bulk inserts (this bench measures the outbox, not the roster's services)."""
    from django.utils import timezone

    from consent.models import ConsentForm, ConsentRecord, Contact, ContactSource, Decision
    from diary.models import DiaryEntry, EntryKind
    from journal.models import Message
    from notifications.models import Channel, Frequency, Kind, Subscription
    from school.db import analyze
    from school.models import (
        AcademicYear,
        Enrolment,
        Guardian,
        Kinship,
        Position,
        School,
        SchoolClass,
        StaffMember,
        Student,
        Subject,
        User,
    )

    now = timezone.now()
    school = School.objects.create(name="МБОУ «Школа замера»", short_name="Школа замера")
    today = school.local_today()
    start = dt.date(today.year if today.month >= 8 else today.year - 1, 9, 1)
    year = AcademicYear.objects.create(
        school=school,
        name=f"{start.year}/{start.year + 1}",
        start=start,
        end=dt.date(start.year + 1, 5, 31),
    )
    teacher = User.objects.create(
        username="bench.teacher", last_name="Кузнецов", first_name="Андрей", middle_name="Павлович"
    )
    StaffMember.objects.create(user=teacher, school=school, position=Position.TEACHER)
    subject = Subject.objects.create(school=school, name="Математика")
    classes = SchoolClass.objects.bulk_create(
        SchoolClass(school=school, year=year, grade=5 + n // 10, letter="АБВГДЕЖИКЛ"[n % 10])
        for n in range((families + 24) // 25)
    )
    students = Student.objects.bulk_create(
        Student(
            school=school,
            last_name=f"Иванов{n}",
            first_name="Пётр",
            gender="m",
            birth_date=dt.date(2015, 3, 14),
        )
        for n in range(families)
    )
    Enrolment.objects.bulk_create(
        Enrolment(student=s, school_class=classes[n // 25], start=start)
        for n, s in enumerate(students)
    )
    guardians = Guardian.objects.bulk_create(
        Guardian(last_name=f"Иванова{n}", first_name="Мария", middle_name="Сергеевна", gender="f")
        for n in range(families)
    )
    Kinship.objects.bulk_create(
        Kinship(guardian=g, student=s, relation="mother")
        for g, s in zip(guardians, students, strict=True)
    )
    records = ConsentRecord.objects.bulk_create(
        ConsentRecord(
            guardian=g,
            decision=Decision.GIVEN,
            scopes=["processing", "sms", "email"],
            form=ConsentForm.PAPER,
            paper_date=today,
            recorded_by=teacher,
        )
        for g in guardians
    )
    ConsentRecord.students.through.objects.bulk_create(
        ConsentRecord.students.through(consentrecord=r, student=s)
        for r, s in zip(records, students, strict=True)
    )
    Contact.objects.bulk_create(
        [
            Contact(
                guardian=g,
                kind=Contact.Kind.PHONE,
                phone=f"+7912{n:07d}",
                source=ContactSource.STATEMENT,
                statement_number=f"{n}",
                statement_date=now.date(),
                confirmed_at=now,
                created_by=teacher,
            )
            for n, g in enumerate(guardians)
        ]
        + [
            Contact(
                guardian=g,
                kind=Contact.Kind.EMAIL,
                email=f"mother{n}@example.ru",
                source=ContactSource.STATEMENT,
                statement_number=f"{n}",
                statement_date=now.date(),
                confirmed_at=now,
                created_by=teacher,
            )
            for n, g in enumerate(guardians)
        ]
    )
    Subscription.objects.bulk_create(
        Subscription(
            guardian=g,
            student=s,
            kind=Kind.MESSAGE,
            channel=Channel.SMS,
            enabled=True,
            frequency=Frequency.INSTANT,
            set_by=teacher,
        )
        for g, s in zip(guardians, students, strict=True)
    )
    messages = Message.objects.bulk_create(
        Message(
            school=school,
            sender=teacher,
            student=s,
            subject=f"Собрание {k + 1}",
            text="Родительское собрание в четверг в 18:00.",
        )
        for s in students
        for k in range(messages_per_child)
    )
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            school=school,
            student=s,
            kind=EntryKind.MARK,
            source_id=n * 3 + k,
            date=today - dt.timedelta(days=k),
            subject=subject,
            changed_at=now,
            payload={"value": 5 - k, "weight": 1, "work_type": "Ответ на уроке"},
        )
        for n, s in enumerate(students)
        for k in range(3)
    )
    analyze(
        Student,
        Enrolment,
        Guardian,
        Kinship,
        ConsentRecord,
        ConsentRecord.students.through,
        Contact,
        Subscription,
        Message,
        DiaryEntry,
    )
    return {
        "school": school,
        "pairs": list(zip(guardians, students, strict=True)),
        "messages": messages,
        "per_child": messages_per_child,
    }


class QueryCounter:
    """Counts every query of this process's connection (``CaptureQueriesContext`` keeps
    only the last 9,000)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def start_worker(env: dict) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "celery"),
        "-A",
        "bench.celery_app",
        "worker",
        "-P",
        "solo",
        "-c",
        "1",
        "-Q",
        "sms",
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
        "-l",
        "warning",
    ]
    if not Path(command[0]).exists():
        command[0:1] = [sys.executable, "-m", "celery"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)


def wait_until_ready(app, timeout: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if app.control.ping(timeout=0.5):
            return time.monotonic() - started
    raise RuntimeError("the Celery worker did not answer")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--families", type=int, default=1_000)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--database", default=BENCH_DATABASE)
    parser.add_argument("--keep", action="store_true", help="не удалять базу после замера")
    args = parser.parse_args(argv)

    base_url = server_url()
    if not base_url:
        return 2
    from uuid import uuid4

    from bench.celery_app import PREFIX_VARIABLE

    prefix = f"bench-notifications-{uuid4().hex[:12]}:"
    recreate_database(base_url, args.database)

    from notifications.fake_gateway import FakeSmsGateway

    gateway = FakeSmsGateway(api_key=API_KEY).start()
    env = {
        **os.environ,
        "DATABASE_URL": with_database(base_url, args.database),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "False",
        "CELERY_BROKER_URL": args.broker,
        PREFIX_VARIABLE: prefix,
        "SMS_BACKEND": "notifications.sms.smsru.SmsRuBackend",
        "SMS_API_URL": gateway.url,
        "SMS_API_KEY": API_KEY,
        "SMS_PART_PRICE": "2.50",
        "NOTIFY_QUIET_HOURS": "",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count, Max, Min
    from django.utils import timezone

    from bench.celery_app import app, delete_keys, use_key_prefix
    from notifications import delivery, outbox
    from notifications.digests import BATCH_SIZE, send_digests
    from notifications.models import Channel, Kind, Notification, Status

    use_key_prefix(prefix)
    worker = None
    try:
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - t:.1f} s")
        per_child = max(1, -(-args.notifications // args.families))
        t = time.perf_counter()
        world = make_school(args.families, per_child)
        print(
            f"{args.families} families, {len(world['messages'])} messages made: "
            f"{time.perf_counter() - t:.1f} s"
        )

        worker = start_worker(env)
        print(f"worker ready in {wait_until_ready(app):.1f} s (one process, solo pool)")

        # 1. Queue: the receiver's path, 500 rows a transaction, published on commit.
        messages = world["messages"][: args.notifications]
        pairs = world["pairs"]
        t = time.perf_counter()
        queued_queries = QueryCounter()
        with connection.execute_wrapper(queued_queries):
            for first in range(0, len(messages), 500):
                with transaction.atomic():
                    for n, message in enumerate(messages[first : first + 500], first):
                        guardian, student = pairs[n // world["per_child"]]
                        outbox.instant(
                            school=world["school"],
                            guardian=guardian,
                            student=student,
                            kind=Kind.MESSAGE,
                            channel=Channel.SMS,
                            key=f"message:{message.pk}:{guardian.pk}:{student.pk}:sms",
                            sources=[["message", message.pk]],
                            recorded_at=timezone.now(),
                        )
        queue_time = time.perf_counter() - t
        total = len(messages)
        print(
            f"queue {total}: {queue_time:.1f} s ({total / queue_time:.0f}/s), "
            f"{queued_queries.count / total:.1f} queries a row"
        )

        # 2. Deliver: one worker, HTTP to the fake gateway.
        swept, last_sweep = 0, time.monotonic()
        while True:
            done = Notification.objects.filter(status=Status.SENT).count()
            if (
                done >= total
                or Notification.objects.filter(
                    status__in=[Status.FAILED, Status.SUPPRESSED]
                ).exists()
            ):
                break
            if time.monotonic() - last_sweep > 60:  # what beat does every minute
                swept += delivery.sweep()
                last_sweep = time.monotonic()
            time.sleep(0.5)
        end_to_end = time.perf_counter() - t
        states = dict(Notification.objects.values_list("status").annotate(n=Count("id")).order_by())
        span = Notification.objects.filter(status=Status.SENT).aggregate(
            first=Min("sent_at"), last=Max("sent_at")
        )
        window = (span["last"] - span["first"]).total_seconds()
        print(
            f"delivered {done}: queue-to-last-SMS {end_to_end:.1f} s; worker sending "
            f"{window:.1f} s ({done / max(window, 0.001):.0f} SMS/s); statuses {states}"
        )
        print(
            f"gateway: {len(gateway.messages)} SMS, {gateway.requests} requests, "
            f"{sum(m.parts for m in gateway.messages)} parts; re-published by the sweeper: "
            f"{swept}"
        )
        row = Notification.objects.filter(status=Status.SENT).first()
        row.status, row.pk, row.idempotency_key = Status.QUEUED, None, "bench:one"
        row.save()
        one = QueryCounter()
        with connection.execute_wrapper(one):
            delivery.deliver(row.pk)
        print(f"queries to deliver one SMS (in-process): {one.count}")
        Notification.objects.filter(kind=Kind.DIGEST).delete()

        # 3. Digests of every family.
        t = time.perf_counter()
        digest_queries = QueryCounter()
        with connection.execute_wrapper(digest_queries):
            queued = send_digests("weekly", now=timezone.now() + dt.timedelta(seconds=1))
        digest_time = time.perf_counter() - t
        batches = -(-args.families // BATCH_SIZE)
        queries = digest_queries.count
        print(
            f"digests: {queued} letters for {args.families} families in {digest_time:.1f} s "
            f"({queued / digest_time:.0f}/s); {queries} queries, {batches} batches of "
            f"{BATCH_SIZE} ({(queries - 1) / batches:.0f} a batch incl. publishing)"
        )
        sizes = [
            len(t) + len(h)
            for t, h in Notification.objects.filter(kind=Kind.DIGEST).values_list("text", "html")[
                :100
            ]
        ]
        print(f"digest size: {sum(sizes) / max(len(sizes), 1) / 1024:.1f} KiB text+HTML")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(10)
        gateway.stop()
        from django.db import connections

        connections.close_all()
        delete_keys(args.broker, prefix)
        if not args.keep:
            recreate_database(base_url, args.database, drop_only=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
