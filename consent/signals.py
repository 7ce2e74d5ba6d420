"""``consent_closed(guardian_id, student_ids, scopes, reason)``: sent inside the transaction
that recorded a refusal or withdrawal, so that pending deliveries can be suppressed."""

from django.dispatch import Signal

consent_closed = Signal()
