"""A Django REST Framework reference of Campfire's API, for tests/test_drf_fidelity.py.

A small Django 5.2 + DRF 3.18 + django-rest-knox 5.1 project that serves the void and the reads
the stand-in serves the way a DRF developer would (a Serializer, an APIView, generics with
LimitOffsetPagination, knox's TokenAuthentication), on the stand-in's default dataset. Real DRF
is the authority for what the contract leaves unsaid; `server.py` runs it under gunicorn.
"""
