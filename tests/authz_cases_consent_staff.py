"""Rows of the authorization matrix for the consent app's staff pages."""

CASES: list = []
