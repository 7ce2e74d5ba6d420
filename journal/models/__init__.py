from .audit import ChangeAction, ChangeKind, JournalChange
from .entries import (
    ABSENCE_CODES,
    Attendance,
    AttendanceCode,
    Homework,
    HomeworkAttachment,
    Mark,
    Message,
    MessageRead,
    Remark,
    RemarkKind,
)
from .lessons import (
    ACTIVE_STATUSES,
    DEFAULT_WORK_TYPE_FOR_LESSON,
    TEST_LESSON_TYPES,
    Lesson,
    LessonStatus,
    LessonType,
    MarkColumn,
)
from .settings import DEFAULT_WORK_TYPES, JournalSettings, WorkType
from .timetable import Bell, TimetableEntry, Weekday

__all__ = [
    "ABSENCE_CODES",
    "ACTIVE_STATUSES",
    "DEFAULT_WORK_TYPES",
    "DEFAULT_WORK_TYPE_FOR_LESSON",
    "TEST_LESSON_TYPES",
    "Attendance",
    "AttendanceCode",
    "Bell",
    "ChangeAction",
    "ChangeKind",
    "Homework",
    "HomeworkAttachment",
    "JournalChange",
    "JournalSettings",
    "Lesson",
    "LessonStatus",
    "LessonType",
    "Mark",
    "MarkColumn",
    "Message",
    "MessageRead",
    "Remark",
    "RemarkKind",
    "TimetableEntry",
    "Weekday",
    "WorkType",
]
