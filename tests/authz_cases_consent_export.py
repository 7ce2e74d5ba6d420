"""Rows of the authorization matrix for the consent app's export pages."""

CASES: list = []
