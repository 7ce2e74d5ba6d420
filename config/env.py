"""The single environment reader (HackSoft style): machine-specific settings come from here."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def mailer_from_url(config: dict) -> dict:
    """Turn django-environ's ``email_url`` settings into a Django 6.1 ``MAILERS`` entry."""
    options = {
        "host": config.get("EMAIL_HOST"),
        "port": config.get("EMAIL_PORT"),
        "username": config.get("EMAIL_HOST_USER"),
        "password": config.get("EMAIL_HOST_PASSWORD"),
        "use_tls": config.get("EMAIL_USE_TLS"),
        "use_ssl": config.get("EMAIL_USE_SSL"),
        "file_path": config.get("EMAIL_FILE_PATH"),
    }
    backend = config["EMAIL_BACKEND"]
    if not backend.endswith("smtp.EmailBackend"):
        options = {"file_path": options["file_path"]} if "filebased" in backend else {}
    return {
        "BACKEND": backend,
        "OPTIONS": {key: value for key, value in options.items() if value not in (None, "")},
    }
