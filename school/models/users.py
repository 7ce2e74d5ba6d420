from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. The same person may be staff in one or more schools and a guardian too:
    roles hang off the user (``StaffMember``, ``Guardian.user``, ``Student.user``)."""

    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)

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
