"""Django settings of the workplace, from the environment (twelve-factor, as Open Zaak does).

| variable | default | meaning |
|---|---|---|
| CONTRACTGEN_DATA | `contracts_data` | the data folder (regions), a git repository |
| CONTRACTGEN_UITVOER | `output` | where builds go |
| CONTRACTGEN_STAAT | `.contractgen` | accounts, sessions, jobs and audit log (SQLite), secret key, log |
| CONTRACTGEN_DATABASE | (SQLite in the state folder) | `postgresql://user:password@host:port/name` for more machines |
| CONTRACTGEN_REDIS | (jobs in the database) | `redis://host:port/db`: jobs through Redis (RQ), workers anywhere |
| CONTRACTGEN_OMZETDIENSTEN | (LibreOffice on the worker's machine) | `unoserver://HOST:POORT,…`: converter services |
| CONTRACTGEN_HOSTS | `127.0.0.1,localhost,[::1]` | host names the server answers to (Django's ALLOWED_HOSTS) |
| CONTRACTGEN_HTTPS | off | `1`: cookies only over https, HSTS |
| CONTRACTGEN_GEHEIM | (generated once into the state folder) | Django's SECRET_KEY |
| CONTRACTGEN_SMTP_HOST, _POORT, _TLS, _GEBRUIKER, _WACHTWOORD, CONTRACTGEN_AFZENDER | localhost, 25, off | mail |
| CONTRACTGEN_ADRES | `http://127.0.0.1:8000` | the address people use, for links in letters |
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from csp.constants import NONE, SELF


def _pad(naam: str, standaard: str) -> Path:
    return Path(os.environ.get(naam, standaard)).resolve()


HIER = Path(__file__).resolve().parent
DATA = _pad("CONTRACTGEN_DATA", "contracts_data")
UITVOER = _pad("CONTRACTGEN_UITVOER", "output")
STAAT = _pad("CONTRACTGEN_STAAT", ".contractgen")
DEMO = os.environ.get("CONTRACTGEN_DEMO") == "1"
ADRES = os.environ.get("CONTRACTGEN_ADRES", "http://127.0.0.1:8000").rstrip("/")


def _geheim() -> str:
    """The secret key: from the environment, else made once and kept in the state folder (0600)."""
    if os.environ.get("CONTRACTGEN_GEHEIM"):
        return os.environ["CONTRACTGEN_GEHEIM"]
    bestand = STAAT / "geheim"
    if not bestand.exists():
        STAAT.mkdir(parents=True, exist_ok=True)
        fd = os.open(bestand, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return bestand.read_text().strip()


SECRET_KEY = _geheim()
DEBUG = False  # never: a traceback goes to the log, the page shows its id
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("CONTRACTGEN_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
                 if h.strip()]
HTTPS = os.environ.get("CONTRACTGEN_HTTPS") == "1"

INSTALLED_APPS = [
    "contractgen.werkplaats.toegang.beheerapp.BeheerConfig",  # Django's admin, 404 to non-beheerders
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "contractgen.werkplaats.toegang",
    "contractgen.werkplaats.audit",
    "contractgen.werkplaats.regio",
    "contractgen.werkplaats.portaal",
    "contractgen.werkplaats.jurist",
    "contractgen.werkplaats.inkoop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "contractgen.werkplaats.toegang.bewaren.BewaarInvoerMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "contractgen.werkplaats.audit.middleware.FoutMiddleware",
]

ROOT_URLCONF = "contractgen.werkplaats.urls"
WSGI_APPLICATION = "contractgen.werkplaats.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [HIER / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "contractgen.werkplaats.toegang.rechten.context",
    ]},
}]


def _database() -> dict:
    url = os.environ.get("CONTRACTGEN_DATABASE")
    if not url:
        # SQLite on one machine: WAL so the worker and the server read while the other writes;
        # IMMEDIATE so two writers queue instead of failing half-way ("database is locked")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": STAAT / "werkplaats.sqlite3",
                "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE",
                            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}}
    deel = urlparse(url)
    if deel.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"CONTRACTGEN_DATABASE '{url}': verwacht postgresql://gebruiker:wachtwoord@host:poort/naam")
    return {"ENGINE": "django.db.backends.postgresql", "NAME": deel.path.lstrip("/"),
            "USER": unquote(deel.username or ""), "PASSWORD": unquote(deel.password or ""),
            "HOST": deel.hostname or "", "PORT": str(deel.port or ""), "CONN_MAX_AGE": 60}


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# PDF conversion through running converter services (unoserver), as `build --converter` does
OMZETDIENSTEN = [w.strip() for w in os.environ.get("CONTRACTGEN_OMZETDIENSTEN", "").split(",") if w.strip()]

REDIS = os.environ.get("CONTRACTGEN_REDIS")
if REDIS:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS, "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# login throttling (django-axes): 5 failures for one account from one address, then 15 minutes
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "werkplaats/geblokkeerd.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
LOGIN_URL = "/inloggen/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/inloggen/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600  # a working day
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "contractgen.werkplaats.audit.views.csrf_fout"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# no inline script or style anywhere: every script and style sheet is a static file of this app
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF], "script-src": [SELF], "style-src": [SELF], "img-src": [SELF, "data:"],
    "font-src": [SELF], "connect-src": [SELF], "form-action": [SELF], "frame-ancestors": [NONE],
    "base-uri": [NONE], "object-src": [NONE],
}}

# uploads: at most 20 MB a request; larger is refused before it is read into memory
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None
MAX_UPLOAD = 20 * 1024 * 1024

LANGUAGE_CODE = "nl"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = STAAT / "static"
STATICFILES_DIRS = [HIER / "static"]
WHITENOISE_USE_FINDERS = True  # served from the package itself: no collectstatic step on a new machine

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
if os.environ.get("CONTRACTGEN_DEMO") == "1" and not os.environ.get("CONTRACTGEN_SMTP_HOST"):
    # the demo has no mail server: its letters are files to open (one .log per letter)
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(STAAT / "post")
EMAIL_HOST = os.environ.get("CONTRACTGEN_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CONTRACTGEN_SMTP_POORT", "25"))
EMAIL_USE_TLS = os.environ.get("CONTRACTGEN_SMTP_TLS") == "1"
EMAIL_HOST_USER = os.environ.get("CONTRACTGEN_SMTP_GEBRUIKER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CONTRACTGEN_SMTP_WACHTWOORD", "")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("CONTRACTGEN_AFZENDER", "contractgen@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"gewoon": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"bestand": {"class": "logging.FileHandler", "filename": str(STAAT / "werkplaats.log"),
                             "formatter": "gewoon", "encoding": "utf-8"}},
    "root": {"handlers": ["bestand"], "level": "INFO"},
    "loggers": {"django.request": {"handlers": ["bestand"], "level": "ERROR", "propagate": False}},
}
