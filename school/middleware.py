from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import get_resolver, get_urlconf
from django.utils import translation


class ChosenLanguageMiddleware:
    """Russian unless the person chose another language with the switch in the footer.

    Django's ``LocaleMiddleware`` would follow the browser's Accept-Language, so a parent
    with an English-language phone would get a half-translated school's pages; here only an
    explicit choice (the language cookie set by ``set_language``) changes the language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response


class FriendlyNotFoundMiddleware:
    """The school's Russian 404 page with ``DEBUG`` on too (``make run``).

    With ``DEBUG`` Django answers an ``Http404`` with its English technical page, which a
    person trying the portal on a laptop takes for a broken site. This middleware, next to
    the view, replaces that page with the ``handler404`` one (``templates/404.html``);
    ``DJANGO_TECHNICAL_404=1`` (``settings.TECHNICAL_404``) keeps Django's page for
    debugging URL patterns. Without ``DEBUG`` Django itself renders the handler's page. (403
    needs nothing: Django renders ``templates/403.html`` in every mode.) Only a 404 that
    came from an exception is an ``HttpResponseNotFound`` here: no view of ours returns one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.TECHNICAL_404
            and isinstance(response, HttpResponseNotFound)
        ):
            handler = get_resolver(get_urlconf()).resolve_error_handler(404)
            response = handler(request, exception=Http404())
        return response
