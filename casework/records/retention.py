"""The retention schedule (domain brief section 6; UK GDPR storage limitation).

Each closed case is kept only as long as its outcome calls for; every period is a setting
(``CASEWORK_RETENTION``):

* a first written warning: to its expiry + 6 months; a final written warning: + 18 months;
* a case not upheld: destroyed at closure, unless it is a child-protection matter;
* a safeguarding (child-protection) record: until the person's normal retirement age or
  10 years after closure, whichever is later;
* an allegation the LADO found false or malicious: removed from the person's record at
  once (KCSIE Part 4): the case is kept only as an anonymised outline;
* anything else: the six-year limitation period.

A warning whose live period has ended is marked spent. ``plan`` says what is due on a day;
``carry_out`` does it, one case per transaction, and records each step in the audit trail.
Erasing removes the stored files (evidence, letters) through the storage API as well; the
audit trail itself is append-only and stays, naming the case only by its reference.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from casework import audit, clock
from casework.errors import CaseMoved
from casework.models import (
    CLOSED_STATUSES,
    STAND_IN_EMAIL_DOMAIN,
    UPHELD_FINDINGS,
    WARNINGS,
    AppealOutcome,
    Case,
    LadoOutcome,
    Sanction,
    StaffMember,
    Status,
    Trust,
    place_name,
)
from casework.models.letters import erasure_under_retention
from casework.services.cases import locked_case, note
from casework.trusts import configuration

from .storage import stored_names

SPEND = "spend"
ERASE = "erase"
ANONYMISE = "anonymise"
REVIEW = "review"  # cannot be decided without more information; nothing is done

# Removed from a person's record at once (KCSIE Part 4).
REMOVED_OUTCOMES = (LadoOutcome.FALSE, LadoOutcome.MALICIOUS)
REMOVED_TEXT = "[Removed: the allegation was found to be false or malicious.]"


def period(name: str, *, trust: int) -> int:
    """A retention period of the trust's (``settings.CASEWORK_RETENTION`` by default)."""
    return configuration.retention_settings(trust)[name]


@dataclass(frozen=True)
class Step:
    """One thing the schedule calls for on one case."""

    case: Case
    action: str
    rule: str
    due_on: datetime.date | None

    @property
    def reference(self) -> str:
        return self.case.reference


@dataclass
class Outcome:
    done: list[Step] = field(default_factory=list)
    failed: list[tuple[Step, str]] = field(default_factory=list)


def _closed_on(case: Case) -> datetime.date:
    return timezone.localdate(case.closed_at or case.stage_entered_at)


def _upheld(case: Case) -> bool:
    """Was any allegation found proven at a hearing, and did it survive any appeal?"""
    appeal = getattr(case, "appeal", None)
    if appeal is not None and appeal.outcome == AppealOutcome.REVOKED:
        return False
    return case.allegations.filter(hearing_finding__in=UPHELD_FINDINGS).exists()


def _not_upheld(case: Case) -> bool:
    if case.status in (Status.NO_CASE_TO_ANSWER, Status.WITHDRAWN):
        return True
    return case.status in (Status.CLOSED, Status.APPEAL_DECIDED) and not _upheld(case)


def _retirement_day(person: StaffMember) -> datetime.date | None:
    if person.date_of_birth is None:
        return None
    age = period("SAFEGUARDING_RETIREMENT_AGE", trust=person.trust_id)
    return person.date_of_birth + relativedelta(years=age)


def _erasure(case: Case) -> Step:
    """When a closed case is due to be erased, and under which rule."""
    closed_on = _closed_on(case)
    if case.safeguarding:
        minimum = period("SAFEGUARDING_MINIMUM_YEARS", trust=case.trust_id)
        ten_years = closed_on + relativedelta(years=minimum)
        retirement = _retirement_day(case.subject)
        if retirement is None:
            return Step(
                case,
                REVIEW,
                "Safeguarding record: kept to retirement age, but the person's date of birth "
                f"is not recorded; at least until {ten_years:%d %B %Y}. Add the date of birth.",
                None,
            )
        due = max(ten_years, retirement)
        return Step(
            case,
            ERASE,
            "Safeguarding record: kept until normal retirement age or "
            f"{minimum} years, whichever is later",
            due,
        )
    if case.sanction in WARNINGS and (case.warning_expires_on):
        first = case.sanction == Sanction.FIRST_WRITTEN_WARNING
        months = period(
            "FIRST_WARNING_KEPT_MONTHS_AFTER_EXPIRY"
            if first
            else "FINAL_WARNING_KEPT_MONTHS_AFTER_EXPIRY",
            trust=case.trust_id,
        )
        spent_on = case.warning_expires_on + datetime.timedelta(days=1)
        return Step(
            case,
            ERASE,
            f"{'First' if first else 'Final'} written warning: kept {months} months after it "
            "expired",
            spent_on + relativedelta(months=months),
        )
    if _not_upheld(case):
        days = period("NOT_UPHELD_KEPT_DAYS_AFTER_CLOSURE", trust=case.trust_id)
        return Step(
            case,
            ERASE,
            "Not upheld: destroyed at closure",
            closed_on + datetime.timedelta(days=days),
        )
    years = period("OTHER_CASES_KEPT_YEARS", trust=case.trust_id)
    return Step(
        case,
        ERASE,
        f"Closed ({case.get_status_display()}"
        f"{', ' + case.get_sanction_display() if case.sanction else ''}): kept {years} years",
        closed_on + relativedelta(years=years),
    )


def schedule(case: Case) -> list[Step]:
    """Everything the schedule will ever call for on this case, due or not."""
    steps = []
    if case.warning_expires_on and case.warning_spent_on is None and case.sanction in WARNINGS:
        steps.append(
            Step(
                case,
                SPEND,
                "Warning no longer live: marked spent",
                case.warning_expires_on + datetime.timedelta(days=1),
            )
        )
    if case.status not in CLOSED_STATUSES:
        return steps
    lado = getattr(case, "lado_referral", None)
    if lado is not None and lado.outcome in REMOVED_OUTCOMES:
        if case.anonymised_at is None:
            steps.append(
                Step(
                    case,
                    ANONYMISE,
                    f"LADO found the allegation {lado.get_outcome_display().lower()}: removed "
                    "from the person's record",
                    _closed_on(case),
                )
            )
        return steps
    steps.append(_erasure(case))
    return steps


def plan(*, today: datetime.date | None = None) -> list[Step]:
    """What is due on ``today`` (by default, today), and what needs a person to look at it."""
    today = today or clock.today()
    due = []
    cases = Case.objects.select_related("subject", "lado_referral", "appeal").order_by("id")
    for case in cases:
        for step in schedule(case):
            if step.action == REVIEW or (step.due_on is not None and step.due_on <= today):
                due.append(step)
    return due


# --- Carrying it out ------------------------------------------------------------------------


def _stored_files(instances: list[models.Model]) -> list[str]:
    return [name for instance in instances for name in stored_names(instance)]


def _parts(case: Case, *, keep: tuple[str, ...] = ()) -> list[models.Model]:
    """Every row that hangs off the case (one level down), newest first."""
    rows: list[models.Model] = []
    for relation in case._meta.related_objects:
        if relation.many_to_many or relation.name in keep:
            continue
        if relation.on_delete is models.DO_NOTHING:  # the audit trail
            continue
        accessor = relation.get_accessor_name()
        if relation.one_to_one:
            part = getattr(case, accessor, None)  # None when there is no such row
            if part is not None:
                rows.append(part)
        else:
            rows.extend(getattr(case, accessor).order_by("-pk"))
    return rows


def _remove(rows: list[models.Model]) -> list[str]:
    """Delete the rows, whatever protects one from another, and name their stored files.

    Rows that refer to each other (a hearing to the one it replaced, a letter to the one it
    superseded, a letter to its sign-off) are deleted in whatever order the protections
    allow; each attempt is in a savepoint so a refused one leaves nothing half done.
    """
    files = []
    pending = list(rows)
    with erasure_under_retention():
        files.extend(_remove_in_order(pending))
    return files


def _remove_in_order(pending: list[models.Model]) -> list[str]:
    files = []
    while pending:
        left = []
        for row in pending:
            nested = _nested_files(row)
            try:
                with transaction.atomic():
                    row.delete()
            except ProtectedError:
                left.append(row)
                continue
            files.extend(nested)
        if len(left) == len(pending):
            raise ProtectedError(
                f"{len(left)} record(s) of the case could not be removed", set(left)
            )
        pending = left
    return files


def _nested_files(row: models.Model) -> list[str]:
    """The stored files of a row and of the rows its deletion takes with it."""
    from django.db.models.deletion import Collector

    collector = Collector(using=row._state.db or "default")
    try:
        collector.collect([row])
    except ProtectedError:
        return _stored_files([row])
    instances = [obj for objs in collector.data.values() for obj in objs]
    for queryset in collector.fast_deletes:
        instances.extend(queryset)
    return _stored_files(instances)


def _delete_files_after_commit(names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


def erase(case: Case, *, rule: str) -> dict:
    """Destroy the case and everything held under it, files included."""
    # The workflow's lock, then the case's, in the order every service takes them.
    with locked_case(case) as case:
        reference, school, status = case.reference, place_name(case.school), case.status
        files = _remove(_parts(case))
        case.witnesses.clear()
        case.suspected_clauses.clear()
        case.delete()
        _delete_files_after_commit(files)
        audit.record(
            action="retention.erased",
            actor=None,
            summary=f"Case {reference} erased under the retention schedule",
            details={
                "reference": reference,
                "school": school,
                "status": status,
                "rule": rule,
                "files": len(files),
            },
        )
    return {"files": len(files)}


def anonymised_person(trust: Trust) -> StaffMember:
    """The stand-in subject of an anonymised case: nobody, who cannot sign in or be chosen."""
    person, _ = StaffMember.objects.get_or_create(
        email=f"anonymised-record-{trust.pk}@{STAND_IN_EMAIL_DOMAIN}",
        defaults={
            "trust": trust,
            "first_name": "Anonymised",
            "last_name": "record",
            "job_title": "Removed under the retention schedule",
            "started_on": datetime.date(2000, 1, 1),
            "left_on": datetime.date(2000, 1, 1),
        },
    )
    return person


def anonymise(case: Case, *, rule: str) -> dict:
    """Keep only an outline of the case: no names, no accounts of what happened, no files.

    What stays: the reference, school, dates, clauses and the LADO's outcome, so that the
    trust can still count and learn from what happened without it being on anyone's record.
    """
    with locked_case(case) as case:
        files = _remove(_parts(case, keep=("allegations", "lado_referral", "process")))
        for allegation in case.allegations.all():
            allegation.particulars = REMOVED_TEXT
            allegation.investigation_reasons = ""
            allegation.hearing_reasons = ""
            allegation.save(
                update_fields=["particulars", "investigation_reasons", "hearing_reasons"]
            )
        lado = getattr(case, "lado_referral", None)
        if lado is not None:
            lado.harm_threshold_reasons = REMOVED_TEXT
            lado.outcome_notes = ""
            lado.save(update_fields=["harm_threshold_reasons", "outcome_notes"])
        case.witnesses.clear()
        case.subject = anonymised_person(case.subject.trust)
        case.what_was_seen = REMOVED_TEXT
        for name in (
            "links",
            "platform_other",
            "hold_reason",
            "decision_reasons",
            "closure_reason",
            "terms_of_reference",
        ):
            setattr(case, name, "")
        case.anonymised_at = clock.now()
        case.save()
        _delete_files_after_commit(files)
        note(
            case,
            by=None,
            action="retention.anonymised",
            summary=f"Case {case.reference} anonymised: removed from the person's record",
            details={"rule": rule, "files": len(files)},
        )
    return {"files": len(files)}


def spend(case: Case, *, on: datetime.date) -> None:
    with locked_case(case) as case:
        if case.warning_spent_on is not None:
            return
        case.warning_spent_on = on
        case.save(update_fields=["warning_spent_on"])
        note(
            case,
            by=None,
            action="retention.warning_spent",
            summary=f"{case.get_sanction_display()} spent from {on:%d %B %Y}",
            details={"spent_on": on.isoformat()},
        )


def carry_out(steps: list[Step]) -> Outcome:
    """Do each due step; a step that fails is reported and changes nothing."""
    outcome = Outcome()
    for step in steps:
        if step.action == REVIEW:
            continue
        try:
            if step.action == SPEND:
                spend(step.case, on=step.due_on)
            elif step.action == ERASE:
                erase(step.case, rule=step.rule)
            elif step.action == ANONYMISE:
                anonymise(step.case, rule=step.rule)
        except (ProtectedError, Case.DoesNotExist, CaseMoved) as problem:
            outcome.failed.append((step, str(problem)))
            continue
        outcome.done.append(step)
    return outcome
