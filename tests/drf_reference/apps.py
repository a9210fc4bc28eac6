from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "drf_reference"
    label = "drf_reference"
