"""How long each list page takes, as each role sees it, against a bare signed-in page.

Each page is requested in turn with the baseline (a small signed-in page: the session and
the sign-in are loaded, a short template rendered), so both meet the same load on the
machine; the ratio is the page's median over the baseline's median of the same run.
Requests go through Django's test client in this process: the whole request, middleware
and template included, without the network.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from django.db import connection
from django.test import Client
from django.urls import reverse

from casework import demo, selectors
from casework.forms import RegisterFilterForm
from casework.models import Case, Clause, LowLevelConcern, School, StaffMember, Status
from casework.oversight.views import AuditLogView
from casework.paging import KeysetPaginator
from casework.views.cases import RegisterView

BASELINE = "password_reset_done"


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    url: str


@dataclass(frozen=True)
class Figure:
    page: str
    role: str
    median_ms: float
    p95_ms: float
    ratio: float
    queries: int

    def as_dict(self) -> dict:
        return asdict(self)


# (role, the demo person signed in as it)
ROLES = {
    "hr": ("Hannah", "Reid"),
    "headteacher": ("Helen", "Carter"),
    "safeguarding_lead": ("David", "Nwosu"),
    "investigating_officer": ("Peter", "Quinn"),
    "dpo": ("Yusuf", "Ahmed"),
    "trust_executive": ("Catherine", "Walsh"),
}


def pages() -> Iterator[Page]:
    register = reverse("casework:register")
    # The worklist (workflow:inbox) holds the shared queue too; the queue's address leads there.
    inbox, archive = (reverse(f"workflow:{n}") for n in ("inbox", "archive"))
    audit_log = reverse("casework:audit_log")
    # What the pages are asked about is of the signed-in people's trust: the demo's second
    # trust's cases answer them "not found".
    trust_id = _person(*ROLES["hr"]).trust_id
    school = School.objects.filter(trust_id=trust_id).order_by("pk").first()
    clause = (
        Clause.objects.filter(policy__trust_id=trust_id, policy__is_current=True)
        .order_by("order")
        .first()
    )
    some_case = (
        Case.objects.filter(trust_id=trust_id, letters__isnull=False).order_by("-pk").first()
    )
    surname = (
        StaffMember.objects.filter(trust_id=trust_id, cases_about__isnull=False)
        .values_list("last_name", flat=True)
        .first()
    )
    yield Page("home", "hr", "/")
    yield Page("register", "hr", register)
    yield Page("register ?status=open", "hr", f"{register}?status=open")
    yield Page("register ?status=triage", "hr", f"{register}?status={Status.TRIAGE}")
    if school is not None:
        yield Page("register ?school", "hr", f"{register}?school={school.pk}")
    if clause is not None:
        yield Page("register ?clause", "hr", f"{register}?clause={clause.pk}")
    yield Page("register ?overdue", "hr", f"{register}?overdue=on")
    if surname:
        yield Page("register ?q=surname", "hr", f"{register}?q={surname}")
    if some_case is not None:
        yield Page("register ?q=reference", "hr", f"{register}?q={some_case.reference}")
    hr = _person(*ROLES["hr"]).user
    deep = KeysetPaginator(
        selectors.register(hr),
        RegisterView.page_size,
        ordering=RegisterFilterForm.ORDERINGS["-raised"],
        order_name="-raised",
    )
    yield Page("register page 200", "hr", f"{register}?{deep.parameters_for_page(200)}")
    yield Page("register CSV export (first byte)", "hr", reverse("casework:register_export"))
    yield Page("worklist", "hr", inbox)
    yield Page("worklist ?due=overdue", "hr", f"{inbox}?due=overdue")
    yield Page("archive", "hr", archive)
    yield Page("audit log", "hr", audit_log)
    if some_case is not None:
        yield Page("audit log ?reference", "hr", f"{audit_log}?reference={some_case.reference}")
    deep_log = KeysetPaginator(
        selectors.audit_log(hr), AuditLogView.page_size, ordering=selectors.AUDIT_LOG_ORDER
    )
    yield Page("audit log page 200", "hr", f"{audit_log}?{deep_log.parameters_for_page(200)}")
    yield Page("low-level concerns log", "hr", reverse("casework:low_level_log"))
    if some_case is not None:
        yield Page("letters list", "hr", reverse("casework:letters", args=[some_case.reference]))
        yield Page("case detail", "hr", reverse("casework:case", args=[some_case.reference]))
    for role in ("headteacher", "safeguarding_lead", "investigating_officer"):
        yield Page("home", role, "/")
        yield Page("register", role, register)
        yield Page("worklist", role, inbox)
        yield Page("archive", role, archive)
    if LowLevelConcern.objects.exists():
        yield Page("low-level concerns log", "safeguarding_lead", reverse("casework:low_level_log"))
    yield Page("worklist", "dpo", inbox)
    yield Page("home", "trust_executive", "/")
    yield Page("register", "trust_executive", register)


def _person(first: str, last: str) -> StaffMember:
    return StaffMember.objects.select_related("user").get(email=demo.email_for(first, last))


def signed_in(role: str) -> Client:
    person = _person(*ROLES[role])
    client = Client()
    client.force_login(person.user)
    return client


def _timed(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    if getattr(response, "streaming", False):
        next(iter(response.streaming_content), b"")  # the first byte: when the export starts
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    response.close()
    return elapsed * 1000


def measure(page: Page, client: Client, *, repeats: int) -> Figure:
    baseline_url = reverse(BASELINE)
    _timed(client, baseline_url)
    # Counted as they run: each request empties Django's query log as it starts, which
    # left a count taken from the log short of the queries a request made before it.
    made = []

    def counted(execute, sql, params, many, context):
        made.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        _timed(client, page.url)  # a warm-up, and the query count
    page_times, baseline_times = [], []
    for _ in range(repeats):
        baseline_times.append(_timed(client, baseline_url))
        page_times.append(_timed(client, page.url))
    median = statistics.median(page_times)
    p95 = sorted(page_times)[max(0, round(0.95 * len(page_times)) - 1)]
    return Figure(
        page=page.name,
        role=page.role,
        median_ms=round(median, 1),
        p95_ms=round(p95, 1),
        ratio=round(median / statistics.median(baseline_times), 1),
        queries=len(made),
    )


@dataclass(frozen=True)
class ExportFigure:
    rows: int
    first_byte_ms: float
    total_s: float
    peak_mib: float  # the most Python memory the export held at once


def export_register() -> ExportFigure:
    """The whole register as CSV, as HR downloads it: when it starts, how long it takes,
    and the most memory it holds at any moment (tracemalloc's peak)."""
    import tracemalloc

    client = signed_in("hr")
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(reverse("casework:register_export"))
    chunks = iter(response.streaming_content)
    rows = next(chunks).count(b"\n")
    first_byte = time.perf_counter() - started
    for chunk in chunks:
        rows += chunk.count(b"\n")
    total = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return ExportFigure(
        rows - 1, round(first_byte * 1000, 1), round(total, 1), round(peak / 2**20, 1)
    )


@contextmanager
def connection_kept(seconds: int = 60):
    """One database connection for every request, as production keeps it
    (``DATABASE_CONN_MAX_AGE``). The development settings open one per request, and a new
    PostgreSQL connection reads the catalogue afresh for each table a request touches: a
    page touching twenty tables paid that far more than the baseline touching two."""
    kept = connection.settings_dict["CONN_MAX_AGE"]
    # Read when a connection opens: from the first request's end (a warm-up) on.
    connection.settings_dict["CONN_MAX_AGE"] = seconds
    try:
        yield
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = kept


def run(*, repeats: int = 11, only: str = "") -> Iterator[Figure]:
    clients: dict[str, Client] = {}
    with connection_kept():
        for page in pages():
            if only and only not in page.name:
                continue
            client = clients.get(page.role) or clients.setdefault(page.role, signed_in(page.role))
            yield measure(page, client, repeats=repeats)
