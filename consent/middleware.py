"""The first-login consent screen: a guardian whose children wait for a decision (none yet,
or a new text version) sees the consent text before anything else, until they give or
refuse it. Staff who are also parents are not stopped at the door: their own work does not
wait for it (their children's diaries stay closed until they decide)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from school.access import viewer_for

from .guardian import current_version, pending_children

# The session remembers the text version a guardian has decided on, so the check runs once
# per session (and again when a new version is published).
SESSION_DECIDED = "consent_decided_version"
OPEN_URL_NAMES = frozenset({"login", "logout", "set_language", "password_change"})


def _exempt(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True
    return match.namespace in {"consent", "admin"} or match.url_name in OPEN_URL_NAMES


def needs_decision(request: HttpRequest, user=None) -> bool:
    viewer = viewer_for(user if user is not None else request.user)
    if viewer.guardian_id is None or viewer.is_staff_member:
        return False
    version = current_version()
    if version is None or request.session.get(SESSION_DECIDED) == version:
        return False
    if pending_children(viewer.guardian_id):
        return True
    request.session[SESSION_DECIDED] = version
    return False


def recheck(request: HttpRequest) -> None:
    request.session.pop(SESSION_DECIDED, None)


def check_at_login(sender, request: HttpRequest, user, **kwargs) -> None:
    """Ask at login, so that the pages after it do not pay for the question."""
    if request is not None and hasattr(request, "session"):
        needs_decision(request, user)


class ConsentPromptMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not _exempt(request) and needs_decision(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('consent:prompt')}?{query}")
        return self.get_response(request)
