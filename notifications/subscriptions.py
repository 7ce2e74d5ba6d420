"""What a family receives when they have not chosen: sensible defaults (seed 1.6, 2.6)."""

from __future__ import annotations

from .models import Channel, Frequency, Kind, Subscription

# (kind, channel) -> (enabled, frequency) when the guardian has not chosen.
DEFAULTS: dict[tuple[str, str], tuple[bool, str]] = {
    (Kind.MARKS, Channel.SMS): (False, Frequency.INSTANT),  # SMS costs money: opt in
    (Kind.MARKS, Channel.EMAIL): (False, Frequency.INSTANT),
    (Kind.DIGEST, Channel.EMAIL): (True, Frequency.WEEKLY),
    (Kind.MESSAGE, Channel.EMAIL): (True, Frequency.INSTANT),
    (Kind.MESSAGE, Channel.SMS): (False, Frequency.INSTANT),
    (Kind.TIMETABLE, Channel.SMS): (False, Frequency.INSTANT),
    (Kind.TIMETABLE, Channel.EMAIL): (False, Frequency.INSTANT),
    (Kind.FINAL_MARKS, Channel.EMAIL): (True, Frequency.INSTANT),  # seed 2.6: within 24 h
    (Kind.FINAL_MARKS, Channel.SMS): (True, Frequency.INSTANT),
    (Kind.FORECAST, Channel.EMAIL): (False, Frequency.WEEKLY),
}
CHOICES = list(DEFAULTS)


def preferences(
    guardian_id: int, student_ids: list[int]
) -> dict[tuple[int, str, str], tuple[bool, str]]:
    """{(student, kind, channel): (enabled, frequency)} with the defaults filled in."""
    chosen = {
        (s.student_id, s.kind, s.channel): (s.enabled, s.frequency)
        for s in Subscription.objects.filter(guardian_id=guardian_id, student_id__in=student_ids)
    }
    return {
        (student_id, kind, channel): chosen.get((student_id, kind, channel), default)
        for student_id in student_ids
        for (kind, channel), default in DEFAULTS.items()
    }


def wants(guardian_id: int, student_id: int, kind: str, channel: str) -> tuple[bool, str]:
    return preferences(guardian_id, [student_id])[(student_id, kind, channel)]
