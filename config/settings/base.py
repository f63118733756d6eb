"""Settings every environment shares; what differs between machines comes from the environment."""

import datetime
import os
import zoneinfo
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Zones come from the pinned `tzdata` package on every machine, never the system's database (the
# two disagree, e.g. on Africa/Casablanca): pages, API, feeds and VTIMEZONEs read one tz version.
# Once: the zones cached since are tzdata's, and a zone read twice must stay the same object (an
# ambiguous time in one object's zone never equals the same time in another's, PEP 495).
if zoneinfo.TZPATH:
    zoneinfo.reset_tzpath(to=[])
    zoneinfo.ZoneInfo.clear_cache()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "config",
    "governance",
    "meetings",
    "projects",
    "notifications",
    # After config: its templates (the sign-in pages) come before allauth's.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.reject_control_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache: it stores what the view said of caching, not this default.
    "config.middleware.revalidate_by_default",
    # Above all that only signed-in readers need (sessions, CSRF, authentication, messages): a
    # stored anonymous page skips them. Above GZip: it stores the compressed body.
    "config.pagecache.public_page_cache",
    # Below whitenoise (which serves precompressed static files itself), above everything that
    # writes a body; ETags are computed on the uncompressed body, then made weak by GZip.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL selects PostgreSQL (psycopg 3) in production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Django 6's default, now: a link typed without a scheme is read as https in every form.
FORMS_URLFIELD_ASSUME_HTTPS = True

# ---- Infrastructure: cache, proxies, faults, headers, sign-in limits (issue 13) ----
# Redis is a cache, not a dependency: config.cache degrades to misses when it is down, and short
# socket timeouts keep a frozen Redis from stalling every worker.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.25"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "agora",
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How many reverse proxies in front of the app append to X-Forwarded-For (nginx: 1). 0 ignores
# the header: a client could write anything there, so only the hops the deployment declares
# are believed. The API throttle (DRF's NUM_PROXIES) and the sign-in limit read the same count.
AGORA_PROXY_HOPS = int(os.environ.get("AGORA_PROXY_HOPS", "0"))

INSTALLED_APPS += ["csp", "axes"]
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # GitHub sign-in (django-allauth): the backend its logins are recorded under.
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Failed sign-ins, counted per account and address: 5 lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.proxies.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The header's sign-out button leads back home, not to the admin's signed-out page.
LOGOUT_REDIRECT_URL = "home"

# Only the site's own scripts, styles and images; no inline code, no frames, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # The sign-in form posts here and is sent on to GitHub's authorize page.
        "form-action": ["'self'", os.environ.get("GITHUB_URL", "https://github.com")],
        "frame-ancestors": ["'none'"],
    }
}
# ---- end of infrastructure ----

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "login"
# Signed in, a lead lands on the groups they run.
LOGIN_REDIRECT_URL = "my-groups"

# ---- GitHub sign-in (django-allauth, issue 7) ----
# Admins keep the password sign-in (Django's, limited by django-axes); everyone else signs in
# with GitHub. A first sign-in creates an account named after the GitHub login, without asking
# anything, and links it to the Person of that handle (governance.accounts).
SOCIALACCOUNT_ADAPTER = "governance.accounts.GitHubSignIn"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_QUERY_EMAIL = False
SOCIALACCOUNT_STORE_TOKENS = False
# The sign-in page's button posts; a GET to the provider's login URL shows a confirmation.
SOCIALACCOUNT_LOGIN_ON_GET = False
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*"]
# The OAuth app registered on GitHub (README, "Signing in with GitHub"); GITHUB_URL names a
# GitHub Enterprise server (its API under /api/v3), else github.com.
SOCIALACCOUNT_PROVIDERS = {
    "github": {
        "APPS": [
            {
                "client_id": os.environ.get("GITHUB_CLIENT_ID", ""),
                "secret": os.environ.get("GITHUB_CLIENT_SECRET", ""),
            }
        ],
        "SCOPE": [],
        **({"GITHUB_URL": os.environ["GITHUB_URL"]} if os.environ.get("GITHUB_URL") else {}),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # DRF's default is AllowAny: say it explicitly.
    "DEFAULT_PERMISSION_CLASSES": ["governance.permissions.WriteRule"],
    # DRF's parsers, refusing a NUL in a body and bounding JSON nesting.
    "DEFAULT_PARSER_CLASSES": [
        "common.api.JSONParser",
        "common.api.FormParser",
        "common.api.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["common.api.StrictDjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "common.api.PageNumberPagination",
    # The browsable API's renderer adapted to the Content-Security-Policy.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "common.api.BrowsableAPIRenderer",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    # Model ValidationErrors (clean(), constraints) raised in services become 400s.
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "600/minute", "user": "3000/minute"},
    # The client is the address the declared proxies saw (AGORA_PROXY_HOPS, above).
    "NUM_PROXIES": AGORA_PROXY_HOPS,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Agora API",
    "DESCRIPTION": "Governance, meetings and enhancement proposals of an open-source community.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Tag operations by resource ("people", "groups"), not by the version segment.
    "SCHEMA_PATH_PREFIX": "/api/v[0-9]+",
    # Served from our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a field named "kind": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "GroupKindEnum": "governance.models.GroupKind",
        "RoleKindEnum": "governance.models.RoleKind",
        "ChannelKindEnum": "governance.models.ChannelKind",
        "GroupStatusEnum": "governance.models.GroupStatus",
        "MeetingKindEnum": "meetings.models.MeetingKind",
        "OccurrenceStatusEnum": "meetings.models.OccurrenceStatus",
    },
}

# Zones every occurrence is shown in, besides its home zone and the meeting's own.
AGORA_DISPLAY_ZONES = [
    "America/Los_Angeles",
    "America/New_York",
    "UTC",
    "Europe/London",
    "Asia/Shanghai",
]
# Templates other apps add to a group's and a person's page, in this order (each is included
# with the page's context: `detail.group` / `detail.person`), e.g. a group's meetings.
AGORA_GROUP_PAGE_SECTIONS = [
    "meetings/_group_meetings.html",
    "meetings/_group_burden.html",
    "projects/_group_proposals.html",
    "projects/_group_help_wanted.html",
    "notifications/_subscribe_link.html",
]
# ... and to a meeting's and an occurrence's page (context `meeting`): mail subscriptions.
AGORA_MEETING_PAGE_SECTIONS = ["notifications/_subscribe_link.html"]
AGORA_PERSON_PAGE_SECTIONS = ["meetings/_person_meetings.html", "projects/_person_proposals.html"]
# ... and to an enhancement proposal's page (context `page_links`, the addresses pointing at
# it): the agendas that link to it.
AGORA_PROPOSAL_PAGE_SECTIONS = ["meetings/_proposal_agendas.html"]
# Who meets at night (meetings.fairness): each member's local night, the weekdays that count as
# their weekend (empty: weekends do not count), and how many weeks ahead pages and the API look.
AGORA_NIGHT = os.environ.get("AGORA_NIGHT", "22:00-07:00")
AGORA_WEEKEND = os.environ.get("AGORA_WEEKEND", "saturday,sunday")
AGORA_BURDEN_WEEKS = int(os.environ.get("AGORA_BURDEN_WEEKS", "12"))
# An evaluation whose latest date is older than this many months is marked as due for review.
AGORA_EVALUATION_STALE_MONTHS = int(os.environ.get("AGORA_EVALUATION_STALE_MONTHS", "18"))
AGORA_SITE_NAME = os.environ.get("AGORA_SITE_NAME", "Agora")
# Domain of the iCal UIDs ("<schedule uuid>@<domain>"); empty: the host the feed is fetched from.
AGORA_ICAL_DOMAIN = os.environ.get("AGORA_ICAL_DOMAIN", "")
# How long an app server serves a page or feed from its own memory before asking the shared cache
# whether the data changed (common.freshness): a change reaches every app server within this
# many seconds.
AGORA_FEED_RECHECK_SECONDS = float(os.environ.get("AGORA_FEED_RECHECK_SECONDS", "1"))
# Anonymous pages and API answers are stored and served again (config.pagecache) until the data
# changes, and for at most this many seconds: how long a page showing what is next or current
# may lag the clock, unless its view says sooner.
AGORA_PAGE_CACHE = env_bool("AGORA_PAGE_CACHE", True)
AGORA_PAGE_CACHE_SECONDS = int(os.environ.get("AGORA_PAGE_CACHE_SECONDS", "60"))
# A directory a static server (nginx) serves feeds from: each feed is written there when rendered
# and removed on every change (README, production). Empty: feeds are served by the app alone.
AGORA_FEEDS_ROOT = os.environ.get("AGORA_FEEDS_ROOT", "")
# Where a Slack channel or GitHub team named without a URL lives.
AGORA_SLACK_CHANNEL_URL = os.environ.get(
    "AGORA_SLACK_CHANNEL_URL", "https://kubernetes.slack.com/messages/{name}"
)
AGORA_GITHUB_TEAM_URL = os.environ.get(
    "AGORA_GITHUB_TEAM_URL", "https://github.com/orgs/kubernetes/teams/{name}"
)
# An import_sigs that would end, archive or remove more than this share of the groups, roles,
# subprojects or channels there are is refused unless run with --allow-removals.
AGORA_IMPORT_REMOVAL_SHARE = float(os.environ.get("AGORA_IMPORT_REMOVAL_SHARE", "0.10"))
# A group or committee whose leads' or members' terms end within this many weeks is listed as
# "election due" on /governance/ and the admin's index.
AGORA_ELECTION_DUE_WEEKS = int(os.environ.get("AGORA_ELECTION_DUE_WEEKS", "8"))

# ---- Mail: reminders and notices to subscribers (issue 8), sent by send_notifications ----
# EMAIL_URL (smtp://user:password@host:587/?tls=True, smtp+ssl://...:465) or Django's own
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL.
_EMAIL = dj_email_url.parse(os.environ["EMAIL_URL"]) if os.environ.get("EMAIL_URL") else {}
EMAIL_BACKEND = _EMAIL.get("EMAIL_BACKEND") or os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = _EMAIL.get("EMAIL_HOST") or os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT") or int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER") or os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD") or os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS") or env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL") or env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Agora <agora@localhost>")
# The site's address as mail links to it (confirmation, unsubscribe, occurrence pages).
AGORA_SITE_URL = os.environ.get("AGORA_SITE_URL", "http://localhost:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
