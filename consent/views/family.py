"""family pages of the consent app."""

urlpatterns: list = []
