"""The pagination of every API list (``DEFAULT_PAGINATION_CLASS``).

DRF's own answers 404 ``Invalid page.`` both to a malformed page and to one past the end.
Here, as on the pages (``mcsc.inputs.page_number``):

- ``page`` that is not a whole number from 1 (``0``, ``-1``, ``abc``) is a 400 under
  ``page`` in the error shape;
- a page past the last is an empty page: 200, ``results`` empty, ``count`` the total,
  ``next`` null and ``previous`` the last page (so a client that follows ``next`` or reads
  until ``results`` is empty stops cleanly).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Page
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import replace_query_param

from mcsc.inputs import page_number

PAGE_DESCRIPTION = (
    "A page number from 1. Anything else (0, a negative number, text) is a 400 with a "
    "message under `page`; a page past the last answers 200 with an empty `results` list "
    "(`count` is still the total, `previous` links the last page)."
)


class PageNumberPagination(pagination.PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.past_the_end = False
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        try:
            number = page_number(request.query_params.get(self.page_query_param))
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        paginator = self.django_paginator_class(queryset, page_size)
        self.request = request
        if number > paginator.num_pages:
            self.past_the_end = True
            self.page = Page([], number, paginator)
            return []
        self.page = paginator.page(number)
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return list(self.page)

    def get_next_link(self):
        if self.past_the_end:
            return None
        return super().get_next_link()

    def get_previous_link(self):
        if self.past_the_end:
            last = self.page.paginator.num_pages
            url = self.request.build_absolute_uri()
            return replace_query_param(url, self.page_query_param, last)
        return super().get_previous_link()

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = PAGE_DESCRIPTION
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters
