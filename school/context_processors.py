from django.http import HttpRequest

from .access import viewer_for


def viewer(request: HttpRequest) -> dict:
    """The current user's roles, for the navigation of the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"viewer": viewer_for(user)}
