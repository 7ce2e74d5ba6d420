from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. The same person may be staff in one or more schools and a guardian too:
    roles hang off the user (``StaffMember``, ``Guardian.user``, ``Student.user``)."""

    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    session_epoch = models.PositiveIntegerField(
        _("поколение сеансов"),
        default=0,
        help_text=_("Увеличение завершает все открытые сеансы пользователя."),
    )

    # «Изменить пользователя»: the admin's titles (school.admin_site).
    verbose_name_accusative = _("пользователя")

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    @property
    def full_name(self) -> str:
        parts = (self.last_name, self.first_name, self.middle_name)
        return " ".join(p for p in parts if p) or self.username

    @property
    def short_name(self) -> str:
        if not self.last_name:
            return self.username
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()

    def __str__(self) -> str:
        return self.full_name

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django ends a session whose stored hash no longer matches (as after a password
        # change). Mixing in ``session_epoch`` lets ``end_sessions`` end them all at once,
        # e.g. when consent to the cabinet is withdrawn, without touching the password.
        key_salt = "school.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def end_sessions(self) -> None:
        """End every open session of this user (they must log in again)."""
        User.objects.filter(pk=self.pk).update(session_epoch=models.F("session_epoch") + 1)
        self.refresh_from_db(fields=["session_epoch"])
