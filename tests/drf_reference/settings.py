"""Settings of the reference: DEBUG off and APPEND_SLASH on, as in production.

The choices a Campfire deployment makes and the stand-in cannot know are in CHOICES (read by
urls.py and views.py); the rest are Django's and DRF's defaults.
"""

import os

SECRET_KEY = "drf-reference-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
TIME_ZONE = "UTC"
APPEND_SLASH = True
ROOT_URLCONF = "drf_reference.urls"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "knox", "drf_reference"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ.get("DRF_REFERENCE_DB", ":memory:")}
}
LOGGING = {"version": 1, "disable_existing_loggers": True}  # no tracebacks (or tokens) on the test's output

TODAY = os.environ.get("DRF_REFERENCE_TODAY")  # the stand-in's pinned today (ISO date); None: the real date

CHOICES = {
    "unrouted_404": "html",  # Django's own page for a path no URL matches ("json": DRF's {"detail": "Not found."})
    # "model": DRF >= 3.15's "No Invoice matches the given query."; "generic": "Not found.", the stand-in's choice
    "not_found_detail": "generic",
    "browsable_api": False,  # JSONRenderer only: Accept text/html is a 406
    "max_body_bytes": 2_621_440,  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE default (2.5 MiB)
}
DATA_UPLOAD_MAX_MEMORY_SIZE = CHOICES["max_body_bytes"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["knox.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "drf_reference.permissions.RolePermission",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if CHOICES["browsable_api"] else []),
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "COERCE_DECIMAL_TO_STRING": False,
}
REST_KNOX = {"TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token"}
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "drf_reference.errors.exception_handler"
