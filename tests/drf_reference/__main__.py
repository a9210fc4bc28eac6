"""`python -m drf_reference` (tests/ on the path, DRF_REFERENCE_DB naming a new file): load the dataset."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drf_reference.settings")
django.setup()

from drf_reference import loading

loading.load()
