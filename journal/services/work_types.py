from __future__ import annotations

from journal.models import DEFAULT_WORK_TYPES, WorkType


def ensure_work_types(school_id: int) -> None:
    """Give a school the default table of work types (DOMAIN.md) if it has none yet."""
    if WorkType.objects.filter(school_id=school_id).exists():
        return
    WorkType.objects.bulk_create(
        [
            WorkType(
                school_id=school_id,
                code=code,
                name=name,
                short_name=short,
                weight=weight,
                order=index,
            )
            for index, (code, name, short, weight) in enumerate(DEFAULT_WORK_TYPES)
        ],
        ignore_conflicts=True,
    )


def work_type_for(school_id: int, code: str) -> WorkType:
    work_type = WorkType.objects.filter(school_id=school_id, code=code).first()
    if work_type is None:
        ensure_work_types(school_id)
        work_type = WorkType.objects.filter(school_id=school_id, code=code).first()
    if work_type is None:  # the school deleted it: fall back to its lightest work type
        work_type = WorkType.objects.filter(school_id=school_id).order_by("weight").first()
    assert work_type is not None, "the school has no work types"
    return work_type
