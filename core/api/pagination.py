from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.request import Request

from core.errors import InvalidInput


class InvalidPageSize(InvalidInput):
    code = "invalid_page_size"
    default_message = _("The page size is a whole number from 1 to 500.")


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's, except that a page size that is not a whole number from 1 to ``max_page_size`` is
    a 400 naming the parameter instead of being ignored silently (sent empty, it is the
    default)."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int | None:
        values: list[Any] = request.query_params.getlist(self.page_size_query_param)
        if not values or values == [""]:  # sent empty, as by a form: the default
            return self.page_size
        if len(values) > 1 or not str(values[0]).isdigit():
            raise self._invalid()
        size = int(values[0])
        if not 1 <= size <= self.max_page_size:
            raise self._invalid()
        return size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """DRF's two parameters, with the bounds the API enforces."""
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def _invalid(self) -> InvalidPageSize:
        message = InvalidPageSize.default_message
        return InvalidPageSize(fields={self.page_size_query_param: [str(message)]})
