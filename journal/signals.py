"""The journal's domain signals. Only declared here; sent by ``journal.services`` inside the
same transaction as the write, so receivers (the diary projection, the notification outbox)
commit or roll back together with it.

``entry_changed`` keyword arguments:
- ``kind``: a ``journal.models.ChangeKind`` value ("mark", "attendance", "homework", ...);
- ``action``: "create", "update" or "delete";
- ``instance``: the model instance (for "delete", as it was before deletion, pk kept);
- ``school_id``: the school;
- ``student_ids``: the students whose diaries the change touches (empty for class-wide
  items such as a lesson change or class homework: receivers resolve the class list).
"""

from django.dispatch import Signal

entry_changed = Signal()

# Asked when an absence is recorded without a note: does someone already know why the
# student is away on ``date`` (kwargs ``student_id``, ``date``)? Receivers answer with the
# reason or "". The diary answers from the family's absence report, so the journal never
# imports the diary.
absence_reason = Signal()
