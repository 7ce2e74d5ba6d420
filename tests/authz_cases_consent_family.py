"""Rows of the authorization matrix for the consent app's family pages."""

CASES: list = []
