"""Consent's domain events. ``signals.py`` only declares them; the listeners (the
notifications app) connect in their ``AppConfig.ready``, so ``consent`` never imports them.

``consent_closed(guardian_id, student_ids, scopes, reason)``: sent inside the transaction
that recorded a refusal or withdrawal, so that pending deliveries can be suppressed.

``contact_code_requested(contact, code)``: sent inside the transaction that created a
contact's confirmation code; the listener delivers the code (SMS or e-mail) after commit.
Only the code's hash is stored, so this is the one moment the code can travel.
"""

from django.dispatch import Signal

consent_closed = Signal()
contact_code_requested = Signal()
