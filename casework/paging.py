"""Pages of a long list without counting the whole list.

Counting every row of a list of a million is a full scan on each request. The lists count
at most ``CASEWORK_LIST_COUNT_LIMIT`` rows (a LIMITed subquery, cheap on the list's
index); past that the page says "more than" and offers the next page while it is full.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    @cached_property
    def limit(self) -> int:
        return settings.CASEWORK_LIST_COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.limit + 1].count()

    @cached_property
    def count_is_bounded(self) -> bool:
        """There are more rows than were counted: ``count`` is a floor."""
        return self.count > self.limit

    def validate_number(self, number):
        if not self.count_is_bounded:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise InvalidPage("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # One row more than a page: whether there is a next page, without a count.
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        page = BoundedPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page

    def get_page(self, number):
        try:
            return self.page(number)
        except (EmptyPage, InvalidPage):
            return self.page(1) if self.count_is_bounded else super().get_page(number)


class BoundedPage(Page):
    more = False

    def has_next(self):
        return self.more
