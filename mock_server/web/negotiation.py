"""Content negotiation as Django REST Framework's DefaultContentNegotiation does it, for views
that render JSON only and parse JSON, form and multipart bodies (DRF's defaults).

- `refusal`: what the request's `Accept` (and `?format=`) cannot be given: 406, or DRF's 404
  for a format no renderer has; decided before authentication, as DRF does.
- `parser_for`: which of the operation's body types parses a request's Content-Type, matched
  the way DRF matches it (`*/*` and `application/*` pick the first; case does not matter;
  parameters are ignored); None means 415.
"""

import codecs
import functools
from dataclasses import dataclass
from email.message import Message

RENDERER = "application/json"
RENDERER_FORMAT = "json"
PARSERS = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
MAX_ACCEPT_HEADER, MAX_ACCEPT_TOKENS, MAX_MEDIA_TYPE = 8192, 64, 256  # DRF's caps on what it reads
NOT_ACCEPTABLE = "Could not satisfy the request Accept header."


@dataclass(frozen=True)
class MediaType:
    main_type: str
    sub_type: str
    params: dict

    @classmethod
    def parse(cls, text: str | None) -> "MediaType":
        """Django's parse_header_parameters: the type lower-cased, its parameters."""
        full_type, params = "", {}
        if text and ";" not in text:
            full_type = text.strip().lower()
        elif text:
            message = Message()
            message["content-type"] = text
            found = message.get_params() or [("", "")]
            full_type = found[0][0].lower()
            params = {name.lower(): value for name, value in found[1:] if name}
        main_type, _, sub_type = full_type.partition("/")
        return cls(main_type, sub_type, params)

    def satisfies(self, other: "MediaType") -> bool:
        """DRF's _MediaType.match: self's parameters (but q) must be other's, types match or are *."""
        if any(key != "q" and other.params.get(key) != value for key, value in self.params.items()):
            return False
        return all(
            mine == "*" or theirs == "*" or mine == theirs
            for mine, theirs in ((self.sub_type, other.sub_type), (self.main_type, other.main_type))
        )


def _accept_list(header: str) -> list[str]:
    if len(header) > MAX_ACCEPT_HEADER:
        cut = header.rfind(",", 0, MAX_ACCEPT_HEADER)
        header = header[: cut + 1] if cut != -1 else ""
    tokens = [token.strip() for token in header.split(",")]
    return [token for token in tokens if token and len(token) <= MAX_MEDIA_TYPE][:MAX_ACCEPT_TOKENS]


# Clients send the same few headers again and again: each answer below is kept for the header's
# value (a bounded cache; a header is at most the guards' head size).
@functools.lru_cache(maxsize=512)
def refusal(accept: str | None, format_param: str | None) -> tuple[int, str] | None:
    """(status, detail) when DRF could not pick its JSON renderer for the request, else None."""
    if format_param and format_param != RENDERER_FORMAT:
        return 404, "Not found."
    renderer = MediaType.parse(RENDERER)
    wanted = _accept_list("*/*" if accept is None else accept)
    if any(renderer.satisfies(MediaType.parse(token)) for token in wanted):
        return None
    return 406, NOT_ACCEPTABLE


@functools.lru_cache(maxsize=512)
def parser_for(content_type: str, declared: tuple[str, ...]) -> str | None:
    """The declared body type (one of `declared`, in DRF's parser order) that parses a body sent
    as `content_type`, or None (a 415)."""
    if len(content_type) > MAX_MEDIA_TYPE:
        return None
    sent = MediaType.parse(content_type)
    return next((parser for parser in PARSERS if parser in declared and MediaType.parse(parser).satisfies(sent)), None)


@functools.lru_cache(maxsize=512)
def charset(content_type: str) -> str:
    """The body's encoding: the Content-Type's charset when Python knows it (as Django reads it), else UTF-8."""
    name = MediaType.parse(content_type).params.get("charset")
    try:
        return codecs.lookup(name).name if name else "utf-8"
    except LookupError:
        return "utf-8"
