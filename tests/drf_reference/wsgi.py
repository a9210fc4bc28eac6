"""The WSGI application gunicorn serves."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drf_reference.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
