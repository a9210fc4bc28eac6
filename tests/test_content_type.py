"""connexion_once.extract_content_type answers as Connexion's own function for any headers: ASGI
pairs of bytes, or a dict of str (an answer's headers), with or without a content type."""
from hypothesis import given
from hypothesis import strategies as st

from mock_server.web.connexion_once import CONNEXION_EXTRACT_CONTENT_TYPE, extract_content_type

NAMES = st.sampled_from(["content-type", "Content-Type", "CONTENT-TYPE", "content-length", "x-content-type", "accept"])
VALUES = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=40)


@given(st.lists(st.tuples(NAMES, VALUES), max_size=6))
def test_asgi_header_pairs(pairs):
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in pairs]
    assert extract_content_type(headers) == CONNEXION_EXTRACT_CONTENT_TYPE(headers)


@given(st.dictionaries(NAMES, VALUES, max_size=6))
def test_header_dicts(headers):
    assert extract_content_type(headers) == CONNEXION_EXTRACT_CONTENT_TYPE(headers)


def test_the_first_content_type_wins_and_none_when_absent():
    headers = [(b"accept", b"*/*"), (b"Content-Type", b"text/plain"), (b"content-type", b"application/json")]
    assert extract_content_type(headers) == "text/plain" == CONNEXION_EXTRACT_CONTENT_TYPE(headers)
    assert extract_content_type({"accept": "*/*"}) is None is CONNEXION_EXTRACT_CONTENT_TYPE({"accept": "*/*"})
