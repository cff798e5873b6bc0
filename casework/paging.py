"""Pages of a long list without counting the whole list, or skipping through it.

Counting every row of a list of a million is a full scan on each request. The lists count
at most ``CASEWORK_LIST_COUNT_LIMIT`` rows (a LIMITed subquery, cheap on the list's
index); past that the page says "more than" and offers the next page while it is full.

Skipping to a deep page (``OFFSET``) reads every row before it. The long lists (the
register, the audit log, the low-level log) page by keyset instead: the link to the next
page carries the last row's sort key, and that page starts just past it on the list's
index, as quick at the thousandth page as at the first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import QueryDict
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

    # The links' query parameters, as ``includes/pages.html`` writes them.
    @property
    def previous_parameters(self) -> str:
        return urlencode({"page": self.previous_page_number()})

    @property
    def next_parameters(self) -> str:
        return urlencode({"page": self.next_page_number()})


# --- Keyset pages ---------------------------------------------------------------------------

CURSOR_SALT = "casework.paging.keyset"
AFTER, BEFORE = "after", "before"  # the query parameters: past a row, or up to one


def without_page(parameters: QueryDict) -> QueryDict:
    """A list's query without its page: what its other pages' links start from."""
    query = parameters.copy()
    for name in ("page", AFTER, BEFORE):
        query.pop(name, None)
    return query


@dataclass(frozen=True)
class SortTerm:
    """One column of a list's order: its field, which way, and where its empty values go
    (``nulls_last`` is None for a column that is never empty)."""

    field: str
    descending: bool
    nulls_last: bool | None

    @classmethod
    def of(cls, term) -> SortTerm:
        if isinstance(term, str):
            return cls(term.lstrip("-"), term.startswith("-"), None)
        if isinstance(term, OrderBy) and isinstance(term.expression, F):
            nulls_last = True if term.nulls_last else False if term.nulls_first else None
            return cls(term.expression.name, term.descending, nulls_last)
        raise TypeError(f"A keyset page cannot be ordered by {term!r}")

    def reversed(self) -> SortTerm:
        flipped = None if self.nulls_last is None else not self.nulls_last
        return SortTerm(self.field, not self.descending, flipped)

    def expression(self):
        if self.nulls_last is None:
            return f"-{self.field}" if self.descending else self.field
        way = F(self.field).desc if self.descending else F(self.field).asc
        return way(nulls_last=True) if self.nulls_last else way(nulls_first=True)

    def equal(self, value) -> Q:
        return Q(**{f"{self.field}__isnull": True}) if value is None else Q(**{self.field: value})

    def beyond(self, value) -> Q:
        """The rows that come after ``value`` in this column's order."""
        if value is None:  # empty values are last, or first: after them, none or all others
            return Q(pk__in=[]) if self.nulls_last else Q(**{f"{self.field}__isnull": False})
        past = Q(**{f"{self.field}__{'lt' if self.descending else 'gt'}": value})
        return past | Q(**{f"{self.field}__isnull": True}) if self.nulls_last else past

    def reached(self, value) -> Q | None:
        """``value`` or beyond, on this column alone: a range the column's index can start
        from. None where empty values make it no range."""
        if self.nulls_last is not None or value is None:
            return None
        return Q(**{f"{self.field}__{'lte' if self.descending else 'gte'}": value})


def _past(terms: list[SortTerm], key: list) -> Q:
    """The rows after ``key`` in the order of ``terms``, last term first to break ties."""
    condition = Q(pk__in=[])
    for i, term in enumerate(terms):
        earlier_equal = Q()
        for earlier, value in zip(terms[:i], key[:i], strict=True):
            earlier_equal &= earlier.equal(value)
        condition |= earlier_equal & term.beyond(key[i])
    start = terms[0].reached(key[0])
    return condition & start if start is not None else condition


def _written(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()  # to the microsecond: the next page starts just past it
    return value


class KeysetPaginator(BoundedPaginator):
    """Pages of a list ordered by columns ending in a unique one (the id), by keyset.

    ``read`` reads a page's rows whole, in order, from an ordered queryset of those rows
    alone (with their joins, say); each row has the attributes the list is ordered by.
    A link's cursor is signed: a cursor that was altered, or made for another order of
    the list, shows its first page rather than an error."""

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        *,
        ordering,
        order_name: str = "",
        read: Callable[[QuerySet], Iterable] | None = None,
    ):
        super().__init__(object_list, per_page)
        self.terms = [SortTerm.of(term) for term in ordering]
        self.order_name = order_name
        self.read = read

    def page_at(self, parameters) -> KeysetPage:
        """The page the request's ``after`` or ``before`` cursor names; the first page
        without one or with one that does not hold."""
        for direction in (AFTER, BEFORE):
            cursor = self._cursor_from(parameters.get(direction), direction)
            if cursor is not None:
                key, number = cursor
                return self._page(direction=direction, key=key, number=number)
        return self._page(direction=AFTER, key=None, number=1)

    def parameters_for_page(self, number: int) -> str:
        """The "Next" link's parameters that lead to page ``number``, found by reading past
        the rows before it once: for measuring a deep page, not for serving one."""
        ordered = self.object_list.order_by(*(term.expression() for term in self.terms))
        # A shorter list: its last page that starts a page's length in.
        shown = ordered[: (number - 1) * self.per_page].count()
        number = min(number, (shown - 1) // self.per_page + 1)
        if number <= 1:
            return ""
        last_before = ordered[(number - 1) * self.per_page - 1]
        return urlencode({AFTER: self._cursor(last_before, direction=AFTER, number=number)})

    def _cursor_from(self, cursor: str | None, direction: str):
        if not cursor:
            return None
        try:
            found = signing.loads(cursor, salt=CURSOR_SALT)
        except signing.BadSignature:
            return None
        if (
            not isinstance(found, dict)
            or found.get("order") != self.order_name
            or found.get("way") != direction
            or not isinstance(found.get("key"), list)
            or len(found["key"]) != len(self.terms)
            or not isinstance(found.get("page"), int)
            or found["page"] < 1
        ):
            return None
        return found["key"], found["page"]

    def _cursor(self, row, *, direction: str, number: int) -> str:
        key = [_written(getattr(row, term.field)) for term in self.terms]
        payload = {"order": self.order_name, "way": direction, "key": key, "page": number}
        return signing.dumps(payload, salt=CURSOR_SALT, compress=True)

    def _page(self, *, direction: str, key: list | None, number: int) -> KeysetPage:
        terms = self.terms if direction == AFTER else [term.reversed() for term in self.terms]
        ordering = [term.expression() for term in terms]
        rows = self.object_list.order_by(*ordering)
        if key is not None:
            rows = rows.filter(_past(terms, key))
        # One row more than a page: whether the list goes on that way, without a count.
        if self.read is None:
            found = list(rows[: self.per_page + 1])
        else:
            # The page's ids found on the list's own table, then its rows read whole: a
            # filter that matches thousands sorts their ids, not their joined rows.
            ids = rows.values("pk")[: self.per_page + 1]
            found = list(
                self.read(self.object_list.model.objects.filter(pk__in=ids).order_by(*ordering))
            )
        if key is not None and not found:
            # Past the end (the rows after it have gone since): the list from its start.
            return self._page(direction=AFTER, key=None, number=1)
        goes_on = len(found) > self.per_page
        found = found[: self.per_page]
        if direction == BEFORE:
            found.reverse()
            has_previous, has_next = goes_on and number > 1, True
        else:
            has_previous, has_next = key is not None, goes_on
        next_parameters = previous_parameters = None
        if has_next and found:
            cursor = self._cursor(found[-1], direction=AFTER, number=number + 1)
            next_parameters = urlencode({AFTER: cursor})
        if has_previous and found:
            # The first page is the list's own address: the newest rows, whatever came since.
            cursor = self._cursor(found[0], direction=BEFORE, number=number - 1)
            previous_parameters = urlencode({BEFORE: cursor}) if number > 2 else ""
        return KeysetPage(
            object_list=found,
            number=number,
            paginator=self,
            next_parameters=next_parameters or "",
            previous_parameters=previous_parameters,
        )


@dataclass
class KeysetPage:
    """A page as ``includes/pages.html`` shows it. ``previous_parameters`` is "" for the
    first page (the list's address as it is) and None where there is no page before."""

    object_list: list
    number: int
    paginator: KeysetPaginator
    next_parameters: str
    previous_parameters: str | None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return bool(self.next_parameters)

    def has_previous(self) -> bool:
        return self.previous_parameters is not None
