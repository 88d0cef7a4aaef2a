"""The request guard: what no view of the product ever has to cope with.

``RequestGuardMiddleware`` answers before any view runs, in the product's error shape
(``{"detail": "..."}`` under ``/api/``, the 400 page elsewhere), when a request has

- a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), or more form fields than
  ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (400);
- a control character (NUL and the like) or a lone surrogate in its path, its query string
  (names and values) or its cookies; or in a submitted value (form fields, every string of
  a JSON body, keys included), where tab, line feed and carriage return are allowed (400);
- a JSON body nested more deeply than ``mcsc.inputs.MAX_JSON_DEPTH`` (400);
- a ``charset`` that names a codec but no character set, such as ``rot13`` (400).

Such input used to reach the database (PostgreSQL cannot store NUL and answered 500) or
the JSON decoder (``RecursionError``). The limits themselves are in ``mcsc.inputs``. A body
that is not valid JSON is left to the view's parser, which says what is wrong with it.
"""

from __future__ import annotations

import codecs
from io import BytesIO

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from casefiles.api.exceptions import problem_response
from mcsc.inputs import (
    JSONTooDeep,
    character_name,
    forbidden_character,
    json_loads,
    json_strings,
)

JSON_TYPES = ("application/json",)


class Refused(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def refuse_response(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    """The product's answer to a refused request: JSON under /api/, the 400 page elsewhere."""
    if request.path_info.startswith("/api/"):
        return problem_response(message, status)
    title = _("Request too large") if status == 413 else _("Bad request")
    return render(request, "400.html", {"message": message, "title": title}, status=status)


def _check(text: str, message: str, *, value: bool = False) -> None:
    char = forbidden_character(text, value=value)
    if char is not None:
        raise Refused(message % {"char": character_name(char)})


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _too_large() -> Refused:
    return Refused(
        _("The request is too large: at most %(size)d KiB.")
        % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024},
        status=413,
    )


def _too_many_fields() -> Refused:
    return Refused(
        _("The request has too many fields: at most %(count)d.")
        % {"count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    )


def _is_character_set(name: str) -> bool:
    """Django takes any codec named by ``charset`` as the request's encoding; ``rot13`` or
    ``base64`` are codecs but no character sets, and decoding a form with them raises
    ``LookupError``. (Python marks text encodings so; ``str.decode`` relies on it too.)"""
    try:
        return getattr(codecs.lookup(name), "_is_text_encoding", True)
    except LookupError:
        return False


def _form_values(request: HttpRequest) -> QueryDict | None:
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        if request.method == "POST":
            return request.POST
        return QueryDict(request.body, encoding=request.encoding)
    if content_type == "multipart/form-data":
        if request.method == "POST":
            return request.POST
        values, _files = request.parse_file_upload(request.META, BytesIO(request.body))
        return values
    return None


def check_request(request: HttpRequest) -> None:
    """Raise ``Refused`` for a request no view should see (see the module's docstring)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and _content_length(request) > limit:
        raise _too_large()
    if request.encoding and not _is_character_set(request.encoding):
        raise Refused(
            _("The request's character set is not supported: %(charset)s.")
            % {"charset": request.encoding}
        )
    _check(request.path, _("The address contains a character that is not allowed (%(char)s)."))
    in_query = _("The query contains a character that is not allowed (%(char)s).")
    for name, values in request.GET.lists():
        for text in (name, *values):
            _check(text, in_query)
    in_cookie = _("A cookie contains a character that is not allowed (%(char)s).")
    for name, item in request.COOKIES.items():
        _check(name + item, in_cookie)
    in_body = _("The submitted data contain a character that is not allowed (%(char)s).")
    content_type = request.content_type or ""
    if content_type in JSON_TYPES or content_type.endswith("+json"):
        body = request.body
        if not body.strip():
            return
        try:
            data = json_loads(body)
        except JSONTooDeep as exc:
            raise Refused(str(exc)) from None
        except ValueError:
            return  # not JSON at all: the view's parser says what is wrong
        for text in json_strings(data):
            _check(text, in_body, value=True)
        return
    values = _form_values(request)
    if values is not None:
        for name, items in values.lists():
            for text in (name, *items):
                _check(text, in_body, value=True)


class RequestGuardMiddleware:
    """Refuses the requests of the module's docstring; and answers a ``ValidationError``
    that a page view lets through (a filter naming a malformed municipality code, say) as
    the bad input it is: 400 with its messages, never 500. (The API's views answer theirs
    themselves, in ``casefiles.api.exceptions``.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ValidationError):
            return refuse_response(request, " ".join(exception.messages))
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except Refused as refused:
            return refuse_response(request, refused.message, refused.status)
        except RequestDataTooBig:
            refused = _too_large()
            return refuse_response(request, refused.message, refused.status)
        except TooManyFieldsSent:
            refused = _too_many_fields()
            return refuse_response(request, refused.message, refused.status)
        except TooManyFilesSent:
            return refuse_response(request, _("The request has too many files."))
        except MultiPartParserError:
            return refuse_response(request, _("The form data could not be read."))
        return self.get_response(request)
