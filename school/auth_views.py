from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class RussianAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock. "
            "После нескольких неудачных попыток вход временно блокируется."
        ),
        "inactive": _("Учётная запись отключена. Обратитесь к секретарю школы."),
    }


class LoginView(auth_views.LoginView):
    form_class = RussianAuthenticationForm
    redirect_authenticated_user = True
