"""Create the demonstration trusts, schools, workforce and sign-ins (idempotent)."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from casework import audit, clock, demo, demo_cases
from casework.letters import demo as demo_letters
from casework.models import (
    Case,
    Policy,
    RequestChannel,
    RoleAssignment,
    Sanction,
    School,
    StaffMember,
    Status,
    Trust,
    TrustSettings,
    User,
)
from casework.policies import importing
from casework.services import subject_access

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

# (stage, who the concern is about and who raised it): spread across the three schools.
DEMO_CASES = [
    (Status.RECEIVED, {"subject": ("Liam", "Murphy"), "reporter": ("Grace", "O'Neill")}),
    (
        Status.TRIAGE,
        {"subject": ("Ben", "Taylor"), "reporter": ("Fiona", "MacLeod"), "clauses": ("DO-5",)},
    ),
    (Status.SAFEGUARDING_REVIEW, {"subject": ("Sam", "Adeyemi"), "reporter": ("Laura", "Bennett")}),
    (Status.LADO_REFERRAL, {"subject": ("Chris", "Evans"), "reporter": ("Priya", "Patel")}),
    (Status.ON_HOLD_EXTERNAL, {"subject": ("Daniel", "Shaw"), "reporter": ("Fiona", "MacLeod")}),
    (Status.LOW_LEVEL_CONCERN, {"subject": ("Kate", "Morris"), "reporter": ("Laura", "Bennett")}),
    (Status.NO_CASE_TO_ANSWER, {"subject": ("Mark", "Hughes"), "reporter": ("Liam", "Murphy")}),
    (
        Status.INFORMAL_ADVICE,
        {"subject": ("Aisha", "Khan"), "reporter": ("Tom", "Brennan"), "clauses": ("DO-2",)},
    ),
    (
        Status.APPOINTING_INVESTIGATOR,
        {"subject": ("Grace", "O'Neill"), "reporter": ("Mark", "Hughes")},
    ),
    (
        Status.INVESTIGATION,
        {"subject": ("Laura", "Bennett"), "reporter": ("Kate", "Morris"), "clauses": ("DONT-8",)},
    ),
    (Status.INVESTIGATION_REPORT, {"subject": ("Fiona", "MacLeod"), "reporter": ("Ben", "Taylor")}),
    (
        Status.HEARING_TO_ARRANGE,
        {"subject": ("Priya", "Patel"), "reporter": ("Chris", "Evans"), "clauses": ("DONT-5",)},
    ),
    (Status.HEARING_SCHEDULED, {"subject": ("Tom", "Brennan"), "reporter": ("Aisha", "Khan")}),
    (
        Status.AWAITING_SIGN_OFF,
        {"subject": ("Joan", "Fitzgerald"), "reporter": ("Ben", "Taylor"), "clauses": ("DONT-2",)},
    ),
    (Status.RETURNED_TO_CHAIR, {"subject": ("Daniel", "Shaw"), "reporter": ("Chris", "Evans")}),
    (Status.SIGNED_OFF, {"subject": ("Frank", "Gallagher"), "reporter": ("Kate", "Morris")}),
    (
        Status.OUTCOME_ISSUED,
        {"subject": ("Liam", "Murphy"), "reporter": ("Tom", "Brennan"), "clauses": ("DONT-1",)},
    ),
    (Status.CLOSED, {"subject": ("Ben", "Taylor"), "reporter": ("Daniel", "Shaw")}),
    (Status.APPEAL_LODGED, {"subject": ("Sam", "Adeyemi"), "reporter": ("Kate", "Morris")}),
    (Status.APPEAL_HEARING, {"subject": ("Mark", "Hughes"), "reporter": ("Grace", "O'Neill")}),
    (Status.APPEAL_DECIDED, {"subject": ("Chris", "Evans"), "reporter": ("Fiona", "MacLeod")}),
    (Status.WITHDRAWN, {"subject": ("Patricia", "Doyle"), "reporter": ("Liam", "Murphy")}),
]

# Cases closed in earlier years, so that the chair and the signer of the demo's DONT-3
# hearings see earlier outcomes for that clause (the consistency view needs at least
# CASEWORK_CONSISTENCY_MINIMUM_CASES). The volunteer's DONT-2 sign-off has too few to show.
EARLIER_OUTCOMES = [
    (
        datetime.date(2024, 11, 12),
        Sanction.FINAL_WRITTEN_WARNING,
        "upheld",
        {"subject": ("Aisha", "Khan"), "reporter": ("Grace", "O'Neill")},
    ),
    (
        datetime.date(2025, 3, 18),
        Sanction.NO_ACTION,
        "not_upheld",
        {"subject": ("Kate", "Morris"), "reporter": ("Ben", "Taylor")},
    ),
    (
        datetime.date(2025, 6, 24),
        Sanction.MANAGEMENT_ADVICE,
        "partly_upheld",
        {"subject": ("Grace", "O'Neill"), "reporter": ("Chris", "Evans")},
    ),
]


# The second trust's cases, one at each of a few stages, cited by its own policy's codes.
SECOND_TRUST_CASES = [
    (
        Status.RECEIVED,
        {
            "subject": ("Lucy", "Hart"),
            "reporter": ("Tomasz", "Nowak"),
            "clauses": ("DONT-2",),
            "what_was_seen": "A photograph from the Year 5 trip, pupils' faces showing, on a "
            "personal Instagram account.",
        },
    ),
    (
        Status.SAFEGUARDING_REVIEW,
        {
            "subject": ("Ian", "McBride"),
            "reporter": ("Rebecca", "Stone"),
            "clauses": ("DONT-1",),
            "what_was_seen": "Follow requests accepted from several Year 9 pupils on a personal "
            "TikTok account.",
        },
    ),
    (
        Status.INVESTIGATION,
        {
            "subject": ("Tomasz", "Nowak"),
            "reporter": ("Lucy", "Hart"),
            "clauses": ("DO-5",),
            "what_was_seen": "A comment in a parents' Facebook group calling a colleague's "
            "lesson 'a shambles'.",
        },
    ),
    (
        Status.OUTCOME_ISSUED,
        {
            "subject": ("Rebecca", "Stone"),
            "reporter": ("Ian", "McBride"),
            "clauses": ("DONT-4",),
            "what_was_seen": "A public post calling the trust's plans for the sixth form "
            "'a scandal the bishop should hear about'.",
        },
    ),
]


class Command(BaseCommand):
    help = "Create demonstration data. Refuses to run with DEBUG off unless --force is given."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a live system: the demo password is public).",
        )
        parser.add_argument(
            "--without-cases",
            action="store_true",
            help="Only the trusts, schools and people (the test suite makes its own cases).",
        )
        parser.add_argument(
            "--first-trust-only",
            action="store_true",
            help="Only St Clare's, not the second trust (the test suite's reference data; "
            "tests of the second trust seed it themselves).",
        )

    def handle(self, *args, force=False, without_cases=False, first_trust_only=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates sign-ins with a published password, so it only runs with "
                "DEBUG on. Use --force if you really mean to run it here."
            )
        if not Policy.objects.filter(trust__name=demo.ST_CLARE.name).exists():
            call_command("load_policy", stdout=self.stdout)
        trusts = demo.TRUSTS[:1] if first_trust_only else demo.TRUSTS
        people = {}
        with transaction.atomic():
            self.seed_systems_administrator()
            for demo_trust in trusts:
                trust = self.seed_trust(demo_trust)
                people.update(self.seed_people(trust, demo_trust))
        created = letters = 0
        if not without_cases:
            # The demo's e-mails go nowhere, at once, rather than waiting for the mail worker.
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            ):
                created = self.seed_cases()
                # One issued PDF of every letter kind (first run only).
                letters = demo_letters.seed()
                if not first_trust_only:
                    second_created, second_letters = self.seed_second_trust_cases()
                    created += second_created
                    letters += second_letters
        self.stdout.write(
            f"Demo data ready: {School.objects.count()} schools, {len(people)} staff, "
            f"{created} new case(s) ({Case.objects.count()} in all), {letters} new letter(s). "
            f"Every demo sign-in uses the password {settings.CASEWORK_DEMO_PASSWORD!r}."
        )
        # Sealed as seal_audit's cron line would: from here on a removed tail shows.
        path, seal = audit.write_seal()
        self.stdout.write(f"Audit trail sealed ({seal['events']} events): {path}")

    def seed_cases(self) -> int:
        """One case at every stage, walked there through the real services, a few closed in
        earlier years, and subject access requests made in between (first run only)."""
        if Case.objects.filter(trust__name=demo.ST_CLARE.name).exists():
            return 0
        for day, sanction, finding, options in EARLIER_OUTCOMES:
            with clock.recorded_at(
                timezone.make_aware(datetime.datetime.combine(day, datetime.time(17)))
            ):
                demo_cases.walk(demo_cases.closed_with(sanction, finding), **options)
        self.seed_subject_access()
        for status, options in DEMO_CASES:
            demo_cases.case_at(status, **options)
        for story in demo_cases.STORIES:  # cross-school, corrected school, DPO, a leaver
            story()
        # Referrals, a settlement, a hearing held in absence, the chair of governors acting.
        referral_stories = demo_cases.stories()
        return (
            len(EARLIER_OUTCOMES)
            + len(DEMO_CASES)
            + len(demo_cases.STORIES)
            + len(referral_stories)
        )

    def seed_subject_access(self) -> None:
        """Three subject access requests: one answered within its month, one still open, and
        one whose deadline was extended for its complexity."""
        today = clock.today()
        hannah, marcus = demo_cases.hr(), demo_cases.person("Marcus", "Obi").user

        def at(day: datetime.date, hour: int):
            moment = datetime.datetime.combine(day, datetime.time(hour))
            return clock.recorded_at(timezone.make_aware(moment))

        received = today - datetime.timedelta(days=40)
        with at(received, 11):
            answered = subject_access.log_subject_access_request(
                person=demo_cases.person("Kate", "Morris"),
                received_on=received,
                received_via=RequestChannel.EMAIL,
                notes="Asks for everything held about her, including the 2025 case.",
                by=hannah,
            )
        with at(received + datetime.timedelta(days=12), 10):
            subject_access.produce_subject_access_export(request=answered, by=hannah)
        sent_on = received + datetime.timedelta(days=14)
        with at(sent_on, 15):
            subject_access.record_subject_access_answered(
                request=answered, by=hannah, answered_on=sent_on
            )
        received = today - datetime.timedelta(days=6)
        with at(received, 9):
            subject_access.log_subject_access_request(
                person=demo_cases.person("Tom", "Brennan"),
                received_on=received,
                received_via=RequestChannel.LETTER,
                by=marcus,
            )
        received = today - datetime.timedelta(days=20)
        with at(received, 14):
            complex_request = subject_access.log_subject_access_request(
                person=demo_cases.person("Mark", "Hughes"),
                received_on=received,
                received_via=RequestChannel.EMAIL,
                notes="Asks for every e-mail that mentions him since 2019.",
                by=hannah,
            )
        with at(received + datetime.timedelta(days=8), 11):
            subject_access.extend_subject_access_deadline(
                request=complex_request,
                by=hannah,
                reason="Seven years of e-mail across three schools, each needing third parties "
                "redacted; he was told of the extension and why on the same day.",
            )

    def seed_second_trust_cases(self) -> tuple[int, int]:
        """The second trust's few cases, each with the letter its stage would have had
        (first run only): (cases, letters)."""
        trust = Trust.objects.get(name=demo.WALSINGHAM.name)
        if Case.objects.filter(trust=trust).exists():
            return 0, 0
        for status, options in SECOND_TRUST_CASES:
            demo_cases.case_at(status, **options)
        made = demo_letters.letters_for_demo_cases(Case.objects.filter(trust=trust))
        return len(SECOND_TRUST_CASES), len(made)

    def seed_trust(self, demo_trust: demo.DemoTrust) -> Trust:
        """The trust, its address, its policy (a trust after the first imports its own
        document, as import_policy would) and the settings it has saved."""
        if demo_trust is demo.ST_CLARE:
            trust = Trust.objects.get(name=demo_trust.name)  # brought in by load_policy
        else:
            trust, _ = Trust.objects.get_or_create(name=demo_trust.name)
        if trust.address != demo_trust.address:
            trust.address = demo_trust.address
            trust.save(update_fields=["address"])
        if demo_trust.policy_file and not Policy.objects.filter(trust=trust).exists():
            self.import_policy(trust, demo_trust)
        if demo_trust.settings and not TrustSettings.objects.filter(trust=trust).exists():
            # Saved once: what the trust's administrators change later is theirs to keep.
            TrustSettings.objects.create(trust=trust, changed_at=clock.now(), **demo_trust.settings)
        return trust

    def import_policy(self, trust: Trust, demo_trust: demo.DemoTrust) -> Policy:
        """The trust's policy document, read and adopted through the import service, as
        ``manage.py import_policy`` does."""
        checked = importing.check_policy_file(FIXTURES / demo_trust.policy_file)
        proposal = importing.read_policy(checked=checked, trust=trust)
        return importing.adopt_policy_version(
            trust=trust,
            version=demo_trust.policy_version,
            proposal=proposal,
            source=importing.Source.of(checked),
            by=None,
        )

    def seed_systems_administrator(self) -> None:
        admin, created = User.objects.get_or_create(
            email=demo.ADMIN_EMAIL,
            defaults={"first_name": "Systems", "last_name": "Administrator"},
        )
        if created:
            admin.is_staff = admin.is_superuser = True
            admin.set_password(settings.CASEWORK_DEMO_PASSWORD)
            admin.save()

    def seed_people(self, trust: Trust, demo_trust: demo.DemoTrust) -> dict[str, StaffMember]:
        schools = []
        for name, urn, address in demo_trust.schools:
            school, _ = School.objects.update_or_create(
                name=name, defaults={"trust": trust, "urn": urn, "address": address}
            )
            schools.append(school)

        people = {}
        for first, last, title, school_index, volunteer, roles in demo_trust.people:
            email = demo.email_for(first, last, demo_trust.email_domain)
            user, created = User.objects.get_or_create(
                email=email, defaults={"first_name": first, "last_name": last}
            )
            if created:
                user.set_password(settings.CASEWORK_DEMO_PASSWORD)
                user.save()
            person, _ = StaffMember.objects.update_or_create(
                email=email,
                defaults={
                    "trust": trust,
                    "school": schools[school_index] if school_index is not None else None,
                    "first_name": first,
                    "last_name": last,
                    "job_title": title,
                    "kind": StaffMember.Kind.VOLUNTEER if volunteer else StaffMember.Kind.EMPLOYEE,
                    "is_teacher": not volunteer and demo.teaches(title),
                    "started_on": datetime.date(2019, 9, 1),
                    "user": user,
                },
            )
            for role, role_school, deputy in roles:
                RoleAssignment.objects.update_or_create(
                    person=person,
                    role=role,
                    school=schools[role_school] if role_school is not None else None,
                    defaults={"deputy": deputy},
                )
            people[email] = person
        for first, last, title, school_index, left_on in demo_trust.leavers:
            email = demo.email_for(first, last, demo_trust.email_domain)
            person, _ = StaffMember.objects.update_or_create(
                email=email,
                defaults={
                    "trust": trust,
                    "school": schools[school_index],
                    "first_name": first,
                    "last_name": last,
                    "job_title": title,
                    "started_on": datetime.date(2016, 9, 1),
                    "left_on": left_on,
                },
            )
            people[email] = person
        return people
