"""Rows of the authorization matrix for the consent app's documents pages."""

CASES: list = []
