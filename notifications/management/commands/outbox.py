"""``manage.py outbox``: the state of the outbox for whoever is on duty. Counts by status,
by kind and channel; the oldest queued row; rows stuck «sending»; the latest failures with
their errors; the 24-hour rule (the family got it within a day of the record) per kind."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q
from django.utils import timezone

from notifications.delivery import LOST_QUEUED, STUCK_SENDING
from notifications.models import Channel, Kind, Notification, Status

DAY = dt.timedelta(hours=24)


def _age(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} мин"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} ч {minutes} мин"
    return f"{hours // 24} дн {hours % 24} ч"


class Command(BaseCommand):
    help = "Состояние очереди уведомлений: сколько в каком состоянии, что застряло, ошибки."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--failures", type=int, default=10, help="сколько ошибок показать")
        parser.add_argument(
            "--days", type=int, default=30, help="за сколько дней считать правило 24 часов"
        )
        parser.add_argument("--school", type=int, help="только эта школа (id)")

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        rows = Notification.objects.all()
        if options["school"]:
            rows = rows.filter(school_id=options["school"])
        out = self.stdout.write
        out(f"Очередь уведомлений на {timezone.localtime(now):%d.%m.%Y %H:%M}")

        by_status = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
        out("\nПо состоянию:")
        for status in Status:
            out(f"  {status.label:<16} {by_status.get(status.value, 0):>8}")

        out(
            "\nПо виду и каналу (в очереди / отправляется / отправлено / не доставлено / "
            "не отправлено):"
        )
        grid: dict[tuple[str, str], dict[str, int]] = {}
        for kind, channel, status, n in (
            rows.values_list("kind", "channel", "status").annotate(n=Count("id")).order_by()
        ):
            grid.setdefault((kind, channel), {})[status] = n
        if not grid:
            out("  пусто")
        for (kind, channel), counts in sorted(grid.items()):
            numbers = " / ".join(f"{counts.get(s.value, 0)}" for s in Status)
            out(f"  {Kind(kind).label} ({Channel(channel).label}): {numbers}")

        queued = rows.filter(status=Status.QUEUED)
        oldest = queued.filter(due_at__lte=now).order_by("due_at").first()
        out("")
        if oldest is None:
            out("Просроченных в очереди нет.")
        else:
            out(
                f"Самое старое в очереди: #{oldest.pk} ({Kind(oldest.kind).label}, "
                f"{Channel(oldest.channel).label}), ждёт {_age(now - oldest.due_at)} "
                f"с {timezone.localtime(oldest.due_at):%d.%m.%Y %H:%M}"
            )
        lost = queued.filter(due_at__lte=now - LOST_QUEUED).count()
        later = queued.filter(due_at__gt=now).count()
        stuck = rows.filter(status=Status.SENDING, sending_since__lt=now - STUCK_SENDING).count()
        out(f"Ждут дольше {_age(LOST_QUEUED)} после срока: {lost} (их подберёт sweeper)")
        out(f"Отложены (тихие часы, окно, повтор): {later}")
        out(f"Зависли в «отправляется» дольше {_age(STUCK_SENDING)}: {stuck}")

        failures = rows.filter(status=Status.FAILED).order_by("-updated_at")[: options["failures"]]
        out(f"\nНе доставлены (последние {options['failures']}):")
        shown = False
        for row in failures:
            shown = True
            out(
                f"  #{row.pk} {timezone.localtime(row.updated_at):%d.%m.%Y %H:%M} "
                f"{Kind(row.kind).label}, {Channel(row.channel).label}, "
                f"{row.to_address or '—'}, попыток {row.attempts}: {row.error}"
            )
        if not shown:
            out("  нет")

        since = now - dt.timedelta(days=options["days"])
        delay = ExpressionWrapper(F("sent_at") - F("source_recorded_at"), DurationField())
        rule = (
            rows.filter(status=Status.SENT, sent_at__gte=since, source_recorded_at__isnull=False)
            .annotate(delay=delay)
            .values("kind")
            .annotate(
                total=Count("id"), in_time=Count("id", filter=Q(delay__lte=DAY)), worst=Max("delay")
            )
            .order_by("kind")
        )
        out(f"\nПравило 24 часов (отправлено за {options['days']} дн.):")
        shown = False
        for line in rule:
            shown = True
            share = 100 * line["in_time"] / line["total"]
            out(
                f"  {Kind(line['kind']).label}: {line['in_time']} из {line['total']} "
                f"({share:.1f} %) за 24 ч, дольше всех {_age(line['worst'])}"
            )
        if not shown:
            out("  отправленных нет")
