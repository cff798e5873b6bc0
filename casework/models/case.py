"""A case: one concern, from the moment it is raised to the moment it is closed.

The case's ``status`` (django-fsm, protected) is the single source of truth for where the
case is. Transitions are declared here; they are fired only by ``casework.services``, which
check who may fire them, record the audit event and keep the workflow's tasks in step.
"""

from collections.abc import Callable

from django.db import models
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from casework import clock

from .people import School, StaffMember, Trust, User
from .policy import Clause, Policy

# Who may fire a transition is a rule of casework.permissions, a layer above the models: each
# rule a transition names is put in this table by that module when it loads (so the models
# never import it). CaseworkConfig.ready loads it before any request is served.
TRANSITION_RULES: dict[str, Callable[["Case", User], bool] | None] = {}


def _rule(name: str):
    """A transition's permission, answered by casework.permissions when it is checked.

    django-fsm does not check ``permission=`` itself: services call
    ``has_transition_perm`` before firing any transition.
    """
    TRANSITION_RULES.setdefault(name, None)

    def check(case, user) -> bool:
        rule = TRANSITION_RULES[name]
        if rule is None:
            raise LookupError(f"casework.permissions has not supplied the rule {name!r}.")
        return rule(case, user)

    check.__name__ = name
    return check


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    TRIAGE = "triage", "Triage"
    SAFEGUARDING_REVIEW = "safeguarding_review", "Safeguarding review"
    LADO_REFERRAL = "lado_referral", "LADO referral to make"
    ON_HOLD_EXTERNAL = "on_hold_external", "On hold — external"
    APPOINTING_INVESTIGATOR = "appointing_investigator", "Investigation — officer to appoint"
    INVESTIGATION = "investigation", "Investigation"
    INVESTIGATION_REPORT = "investigation_report", "Investigation report to consider"
    HEARING_TO_ARRANGE = "hearing_to_arrange", "Hearing to arrange"
    HEARING_SCHEDULED = "hearing_scheduled", "Hearing scheduled"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
    RETURNED_TO_CHAIR = "returned_to_chair", "Returned to the chair"
    SIGNED_OFF = "signed_off", "Signed off — outcome to issue"
    OUTCOME_ISSUED = "outcome_issued", "Outcome issued — appeal window open"
    APPEAL_LODGED = "appeal_lodged", "Appeal lodged"
    APPEAL_HEARING = "appeal_hearing", "Appeal hearing scheduled"
    NO_CASE_TO_ANSWER = "no_case_to_answer", "Closed — no case to answer"
    INFORMAL_ADVICE = "informal_advice", "Closed — informal management advice"
    LOW_LEVEL_CONCERN = "low_level_concern", "Closed — low-level concern logged"
    CLOSED = "closed", "Closed — outcome final"
    APPEAL_DECIDED = "appeal_decided", "Closed — appeal decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


CLOSED_STATUSES = frozenset(
    {
        Status.NO_CASE_TO_ANSWER,
        Status.INFORMAL_ADVICE,
        Status.LOW_LEVEL_CONCERN,
        Status.CLOSED,
        Status.APPEAL_DECIDED,
        Status.WITHDRAWN,
    }
)
OPEN_STATUSES = frozenset(set(Status) - CLOSED_STATUSES)

# The formal stages of the disciplinary procedure: these may be paused for an external
# process (police, LADO, a regulator) and resumed where they left off.
FORMAL_STATUSES = frozenset(
    {
        Status.APPOINTING_INVESTIGATOR,
        Status.INVESTIGATION,
        Status.INVESTIGATION_REPORT,
        Status.HEARING_TO_ARRANGE,
        Status.HEARING_SCHEDULED,
        Status.AWAITING_SIGN_OFF,
        Status.RETURNED_TO_CHAIR,
        Status.SIGNED_OFF,
        Status.OUTCOME_ISSUED,
        Status.APPEAL_LODGED,
        Status.APPEAL_HEARING,
    }
)
# A suspension is considered once a case is more than a report: at a formal stage, or
# while a safeguarding concern is reviewed or with the LADO.
SUSPENDABLE_STATUSES = FORMAL_STATUSES | {
    Status.SAFEGUARDING_REVIEW,
    Status.LADO_REFERRAL,
    Status.ON_HOLD_EXTERNAL,
}
# Where a paused case goes back to. A hearing whose date passed while paused must be
# arranged again with fresh notice.
RESUME_TO = {status: status for status in FORMAL_STATUSES} | {
    Status.HEARING_SCHEDULED: Status.HEARING_TO_ARRANGE,
    Status.APPEAL_HEARING: Status.APPEAL_LODGED,
}
# The stages a newly safeguarding allegation interrupts: the DSL reviews it at once, and the
# case goes back to the stage afterwards unless the matter goes to the LADO. (Before triage
# the concern simply goes to the DSL; at the DSL's or LADO's stages it is with them already.)
INTERRUPTIBLE_STATUSES = frozenset(
    {
        Status.APPOINTING_INVESTIGATOR,
        Status.INVESTIGATION,
        Status.INVESTIGATION_REPORT,
        Status.HEARING_TO_ARRANGE,
        Status.ON_HOLD_EXTERNAL,
    }
)
# What happens after the LADO (or police) say the internal process may go on.
AFTER_EXTERNAL_DECISION = (
    Status.APPOINTING_INVESTIGATOR,
    Status.INFORMAL_ADVICE,
    Status.NO_CASE_TO_ANSWER,
    Status.LOW_LEVEL_CONCERN,
)


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    SNAPCHAT = "snapchat", "Snapchat"
    WHATSAPP = "whatsapp", "WhatsApp"
    LINKEDIN = "linkedin", "LinkedIn"
    YOUTUBE = "youtube", "YouTube"
    OTHER = "other", "Another platform"


class AccountKind(models.TextChoices):
    WORK = "work", "A work account (school or trust)"
    PERSONAL = "personal", "A personal account"
    NOT_SURE = "not_sure", "Not sure"


class PupilsInvolved(models.TextChoices):
    NONE = "none", "No pupils are involved"
    CURRENT = "current", "A current pupil is involved"
    FORMER = "former", "A former pupil is involved"


class Sanction(models.TextChoices):
    """Outcomes of a hearing: employment sanctions, and volunteer outcomes."""

    NO_ACTION = "no_action", "No action"
    MANAGEMENT_ADVICE = "management_advice", "Management advice"
    FIRST_WRITTEN_WARNING = "first_written_warning", "First written warning"
    FINAL_WRITTEN_WARNING = "final_written_warning", "Final written warning"
    DISMISSAL_WITH_NOTICE = "dismissal_with_notice", "Dismissal with notice"
    SUMMARY_DISMISSAL = "summary_dismissal", "Summary dismissal (gross misconduct)"
    VOLUNTEER_NO_ACTION = "volunteer_no_action", "No action (volunteer)"
    VOLUNTEER_GUIDANCE = "volunteer_guidance", "Guidance given (volunteer)"
    VOLUNTEER_ROLE_ADJUSTED = "volunteer_role_adjusted", "Volunteering role adjusted"
    VOLUNTEERING_ENDED = "volunteering_ended", "Volunteering arrangement ended"


EMPLOYEE_SANCTIONS = (
    Sanction.NO_ACTION,
    Sanction.MANAGEMENT_ADVICE,
    Sanction.FIRST_WRITTEN_WARNING,
    Sanction.FINAL_WRITTEN_WARNING,
    Sanction.DISMISSAL_WITH_NOTICE,
    Sanction.SUMMARY_DISMISSAL,
)
VOLUNTEER_OUTCOMES = (
    Sanction.VOLUNTEER_NO_ACTION,
    Sanction.VOLUNTEER_GUIDANCE,
    Sanction.VOLUNTEER_ROLE_ADJUSTED,
    Sanction.VOLUNTEERING_ENDED,
)
# Severity, so that an appeal may only reduce a sanction.
SANCTION_SEVERITY = {s: i for i, s in enumerate(EMPLOYEE_SANCTIONS)} | {
    s: i for i, s in enumerate(VOLUNTEER_OUTCOMES)
}
WARNINGS = (Sanction.FIRST_WRITTEN_WARNING, Sanction.FINAL_WRITTEN_WARNING)
DISMISSALS = (Sanction.DISMISSAL_WITH_NOTICE, Sanction.SUMMARY_DISMISSAL)


class SchoolSource(models.TextChoices):
    """How the case came to belong to its school (or the trust central team)."""

    SUBJECT = "subject", "Where the person reported works"
    REPORTER = "reporter", "Chosen and confirmed by the person who reported it"
    HR = "hr", "Corrected by HR"


class Finding(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


UPHELD_FINDINGS = (Finding.UPHELD, Finding.PARTLY_UPHELD)


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)

    def involving(self, person):
        """Cases ``person`` is the subject, reporter or a witness of: too close to know more."""
        return self.filter(pk__in=involved_case_ids(person))


def involved_case_ids(person) -> list[int]:
    """The ids of the cases ``person`` is the subject, reporter or a witness of.

    One query, each part on its own index (subject, reporter, the witness table), where an
    OR of the three would read every case. A person is in few cases, so the list is short.
    """
    if person is None:
        return []
    return list(
        Case.objects.filter(subject=person)
        .order_by()
        .values_list("pk", flat=True)
        .union(
            Case.objects.filter(reporter=person).order_by().values_list("pk", flat=True),
            Case.witnesses.through.objects.filter(staffmember_id=person.pk)
            .order_by()
            .values_list("case_id", flat=True),
        )
    )


class Case(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="cases", help_text="The version cited."
    )
    # The trust whose case it is: the subject's. Every list and rule scopes by it, since the
    # school is empty for a case of the trust central team.
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="cases")
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        help_text="Empty for the trust central team.",
    )
    school_source = models.CharField(
        max_length=10, choices=SchoolSource.choices, default=SchoolSource.SUBJECT
    )
    subject = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="cases_about")
    subject_left_on = models.DateField(
        "the person had left the trust on", null=True, blank=True, help_text="As at the report."
    )
    reporter = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="concerns_raised"
    )
    raised_at = models.DateTimeField(default=clock.now)

    # What was reported, as the reporter gave it.
    seen_on = models.DateField("when it was seen or posted")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    platform_other = models.CharField(max_length=100, blank=True)
    account_kind = models.CharField(max_length=10, choices=AccountKind.choices)
    what_was_seen = models.TextField()
    links = models.TextField(blank=True, help_text="One address per line.")
    suspected_clauses = models.ManyToManyField(Clause, blank=True, related_name="+")
    clauses_not_sure = models.BooleanField(default=False)
    pupils_involved = models.CharField(
        max_length=10, choices=PupilsInvolved.choices, default=PupilsInvolved.NONE
    )
    pupil_left_on = models.DateField(null=True, blank=True)
    confidentiality_requested = models.BooleanField(default=False)
    # The one-time token of the form it was sent from: the same form sent twice (a double
    # click, Back and send again) is recognised as this concern, not a second one.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    # Routing flags: set when the concern arrives, and again whenever an allegation cites a
    # clause that carries the flag. Never cleared: the DSL's review and the DPO's decision
    # answer them.
    safeguarding = models.BooleanField(default=False)
    safeguarding_since = models.DateTimeField(null=True, blank=True)
    data_protection = models.BooleanField(default=False)

    status = FSMField(
        max_length=30, choices=Status.choices, default=Status.RECEIVED, protected=True
    )
    stage_entered_at = models.DateTimeField(default=clock.now)
    action_due_on = models.DateField(null=True, blank=True, db_index=True)
    paused_from = models.CharField(max_length=30, choices=Status.choices, blank=True)
    review_interrupted = models.CharField(
        max_length=30,
        choices=Status.choices,
        blank=True,
        help_text="The stage a safeguarding review interrupted, which the case returns to.",
    )
    hold_reason = models.TextField(blank=True)

    # Who holds which part of the case.
    case_manager = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    safeguarding_lead = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    investigating_officer = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    terms_of_reference = models.TextField(blank=True)
    hearing_chair = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signing_authority = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appeal_chair = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    witnesses = models.ManyToManyField(StaffMember, blank=True, related_name="+")

    # The outcome.
    sanction = models.CharField(max_length=30, choices=Sanction.choices, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome_issued_on = models.DateField(null=True, blank=True)
    sanction_effective_on = models.DateField(null=True, blank=True)
    warning_expires_on = models.DateField(null=True, blank=True)
    appeal_deadline = models.DateField(null=True, blank=True)
    subject_resigned_on = models.DateField(null=True, blank=True)
    closure_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Data protection: what the retention schedule has done to this record.
    warning_spent_on = models.DateField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            # "My reports", and the check for a concern sent twice: one reporter's, latest first.
            models.Index(fields=["reporter", "-raised_at"], name="case_reports_by_reporter"),
            # The register, newest first: whole, by stage, by school, by subject.
            models.Index(fields=["-raised_at", "-id"], name="case_register"),
            models.Index(fields=["trust", "-raised_at", "-id"], name="case_register_by_trust"),
            models.Index(
                fields=["trust", "status", "-raised_at", "-id"],
                name="case_register_trust_status",
            ),
            models.Index(fields=["status", "-raised_at", "-id"], name="case_register_by_status"),
            models.Index(fields=["school", "-raised_at", "-id"], name="case_register_by_school"),
            models.Index(fields=["subject", "-raised_at"], name="case_register_by_subject"),
            # A safeguarding lead's register: the safeguarding cases of their schools, which
            # PostgreSQL otherwise looked for through every case of those schools.
            models.Index(
                fields=["school", "-raised_at", "-id"],
                condition=models.Q(safeguarding=True),
                name="case_safeguarding_by_school",
            ),
            # The open cases by what they have due: the register's overdue and due-date
            # filters. Covering on PostgreSQL, so their ids are sorted newest first without
            # reading each case (a million-case register has tens of thousands open).
            models.Index(
                fields=["trust", "action_due_on"],
                include=["raised_at", "id"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="case_open_by_due",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # --- Transitions. Each is fired by one service; the docstring names the rule. -------

    @transition(
        field=status,
        source=Status.RECEIVED,
        target=Status.TRIAGE,
        permission=_rule("may_manage_case"),
    )
    def begin_triage(self):
        """HR acknowledges the concern and starts triage."""

    @transition(
        field=status,
        source=[Status.RECEIVED, Status.TRIAGE],
        target=Status.SAFEGUARDING_REVIEW,
        permission=_rule("may_manage_case"),
    )
    def route_to_safeguarding(self):
        """KCSIE Part 4: a possible harm to a child goes to the DSL at once."""

    @transition(
        field=status,
        source=list(INTERRUPTIBLE_STATUSES),
        target=Status.SAFEGUARDING_REVIEW,
        permission=_rule("may_frame_allegations"),
    )
    def interrupt_for_safeguarding(self):
        """KCSIE Part 4: a newly safeguarding allegation goes to the DSL at once; nobody
        interviews the subject, the child or witnesses until the DSL has decided."""

    @transition(
        field=status,
        source=Status.SAFEGUARDING_REVIEW,
        target=RETURN_VALUE(*sorted(INTERRUPTIBLE_STATUSES)),
        permission=_rule("may_review_safeguarding"),
    )
    def return_from_safeguarding_review(self, to: str):
        """Not for the LADO: the case goes back to the stage the review interrupted."""
        return to

    @transition(
        field=status,
        source=Status.SAFEGUARDING_REVIEW,
        target=Status.TRIAGE,
        permission=_rule("may_review_safeguarding"),
    )
    def return_to_triage(self):
        """The DSL finds no safeguarding matter: HR triages it as conduct."""

    @transition(
        field=status,
        source=[Status.TRIAGE, Status.INVESTIGATION_REPORT],
        target=Status.NO_CASE_TO_ANSWER,
        permission=_rule("may_manage_case"),
    )
    def find_no_case_to_answer(self):
        """Nothing to answer: the case closes with no action."""

    @transition(
        field=status,
        source=[Status.TRIAGE, Status.INVESTIGATION_REPORT],
        target=Status.INFORMAL_ADVICE,
        permission=_rule("may_manage_case"),
    )
    def resolve_informally(self):
        """Acas Code para 8: some matters are better settled by informal advice."""

    @transition(
        field=status,
        source=[Status.TRIAGE, Status.SAFEGUARDING_REVIEW],
        target=Status.APPOINTING_INVESTIGATOR,
        permission=_rule("may_open_investigation"),
    )
    def open_investigation(self):
        """Acas Code para 5: establish the facts before any hearing."""

    @transition(
        field=status,
        source=Status.SAFEGUARDING_REVIEW,
        target=Status.LADO_REFERRAL,
        permission=_rule("may_review_safeguarding"),
    )
    def decide_lado_referral(self):
        """The harm threshold is met: refer to the LADO within one working day."""

    @transition(
        field=status,
        source=Status.SAFEGUARDING_REVIEW,
        target=Status.LOW_LEVEL_CONCERN,
        permission=_rule("may_review_safeguarding"),
    )
    def log_low_level_concern(self):
        """Below the harm threshold: recorded, with rationale, in the separate log."""

    @transition(
        field=status,
        source=Status.LADO_REFERRAL,
        target=Status.ON_HOLD_EXTERNAL,
        permission=_rule("may_review_safeguarding"),
    )
    def hold_for_lado(self):
        """Internal process waits while the LADO and police decide."""

    @transition(
        field=status,
        source=list(FORMAL_STATUSES),
        target=Status.ON_HOLD_EXTERNAL,
        permission=_rule("may_manage_case"),
    )
    def pause(self):
        """A formal stage waits for an external process."""

    @transition(
        field=status,
        source=Status.ON_HOLD_EXTERNAL,
        target=RETURN_VALUE(*sorted(set(RESUME_TO.values()) | set(AFTER_EXTERNAL_DECISION))),
        permission=_rule("may_manage_case"),
    )
    def resume(self, to: str):
        """The external process allows the internal one to go on."""
        return to

    @transition(
        field=status,
        source=Status.APPOINTING_INVESTIGATOR,
        target=Status.INVESTIGATION,
        permission=_rule("may_manage_case"),
    )
    def appoint_investigator(self):
        """An investigating officer who will not hear the case takes it on."""

    @transition(
        field=status,
        source=Status.INVESTIGATION,
        target=Status.INVESTIGATION_REPORT,
        permission=_rule("may_investigate"),
    )
    def submit_investigation_report(self):
        """The investigating officer reports a finding per allegation."""

    @transition(
        field=status,
        source=Status.INVESTIGATION_REPORT,
        target=Status.HEARING_TO_ARRANGE,
        permission=_rule("may_manage_case"),
    )
    def refer_to_hearing(self):
        """There is a case to answer at a disciplinary hearing."""

    @transition(
        field=status,
        source=Status.HEARING_TO_ARRANGE,
        target=Status.HEARING_SCHEDULED,
        permission=_rule("may_manage_case"),
    )
    def schedule_hearing(self):
        """Acas Code para 11: written notice with time to prepare."""

    @transition(
        field=status,
        source=Status.HEARING_SCHEDULED,
        target=Status.HEARING_SCHEDULED,
        permission=_rule("may_manage_case"),
    )
    def reschedule_hearing(self):
        """A new date, e.g. because the companion cannot attend (ERA 1999 s10)."""

    @transition(
        field=status,
        source=[Status.HEARING_SCHEDULED, Status.RETURNED_TO_CHAIR],
        target=Status.AWAITING_SIGN_OFF,
        permission=_rule("may_chair_hearing"),
    )
    def record_decision(self):
        """The chair's findings and sanction, for the headteacher's sign-off."""

    @transition(
        field=status,
        source=Status.AWAITING_SIGN_OFF,
        target=Status.SIGNED_OFF,
        permission=_rule("may_sign_off"),
    )
    def approve_outcome(self):
        """Only a signed-off outcome may be sent."""

    @transition(
        field=status,
        source=Status.AWAITING_SIGN_OFF,
        target=Status.RETURNED_TO_CHAIR,
        permission=_rule("may_sign_off"),
    )
    def return_to_chair(self):
        """The signing authority asks the chair to reconsider."""

    @transition(
        field=status,
        source=Status.SIGNED_OFF,
        target=Status.OUTCOME_ISSUED,
        permission=_rule("may_manage_case"),
    )
    def issue_outcome(self):
        """The outcome is sent; the appeal window opens."""

    @transition(
        field=status,
        source=Status.OUTCOME_ISSUED,
        target=Status.APPEAL_LODGED,
        permission=_rule("may_manage_case"),
    )
    def lodge_appeal(self):
        """Acas Code para 26: an appeal in writing, with grounds, in time."""

    @transition(
        field=status,
        source=Status.OUTCOME_ISSUED,
        target=Status.CLOSED,
        permission=_rule("may_manage_case"),
    )
    def close_after_appeal_window(self):
        """No appeal within the window: the outcome is final."""

    @transition(
        field=status,
        source=Status.APPEAL_LODGED,
        target=Status.APPEAL_HEARING,
        permission=_rule("may_manage_case"),
    )
    def schedule_appeal_hearing(self):
        """Acas Code para 27: heard by someone not previously involved."""

    @transition(
        field=status,
        source=Status.APPEAL_HEARING,
        target=Status.APPEAL_HEARING,
        permission=_rule("may_manage_case"),
    )
    def reschedule_appeal_hearing(self):
        """A new date for the appeal hearing (the companion's right applies to it too)."""

    @transition(
        field=status,
        source=Status.APPEAL_HEARING,
        target=Status.APPEAL_DECIDED,
        permission=_rule("may_decide_appeal"),
    )
    def decide_appeal(self):
        """The appeal outcome is final."""

    @transition(
        field=status,
        source=list(OPEN_STATUSES),
        target=Status.WITHDRAWN,
        permission=_rule("may_manage_case"),
    )
    def withdraw(self):
        """HR withdraws the case, with a reason."""


class ReferenceCounter(models.Model):
    """The last case number issued in a year: locked while a concern is numbered."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Allegation(models.Model):
    """One allegation: particulars, and exactly one clause of the policy version cited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allegations")
    number = models.PositiveSmallIntegerField()
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="allegations")
    particulars = models.TextField()
    investigation_finding = models.CharField(max_length=20, choices=Finding.choices, blank=True)
    investigation_reasons = models.TextField(blank=True)
    hearing_finding = models.CharField(max_length=20, choices=Finding.choices, blank=True)
    hearing_reasons = models.TextField(blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["case_id", "number"]  # columns: "case" joins cases to sort
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_allegation_per_number")
        ]

    def __str__(self) -> str:
        return f"Allegation {self.number} ({self.clause.code})"
