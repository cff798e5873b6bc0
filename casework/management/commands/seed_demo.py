"""Create the demonstration trust, schools, workforce and sign-ins (idempotent)."""

import datetime

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casework import demo
from casework.models import Policy, RoleAssignment, School, StaffMember, Trust, User


class Command(BaseCommand):
    help = "Create demonstration data. Refuses to run with DEBUG off unless --force is given."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a live system: the demo password is public).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates sign-ins with a published password, so it only runs with "
                "DEBUG on. Use --force if you really mean to run it here."
            )
        if not Policy.objects.exists():
            call_command("load_policy", stdout=self.stdout)
        with transaction.atomic():
            people = self.seed_people()
        self.stdout.write(
            f"Demo data ready: {School.objects.count()} schools, {len(people)} staff. "
            f"Every demo sign-in uses the password {settings.CASEWORK_DEMO_PASSWORD!r}."
        )

    def seed_people(self) -> dict[str, StaffMember]:
        trust = Trust.objects.get()
        trust.address = "St Clare House, 1 Cathedral Close, Ashbury AB1 0AA"
        trust.save(update_fields=["address"])
        schools = []
        for name, urn, address in demo.SCHOOLS:
            school, _ = School.objects.update_or_create(
                name=name, defaults={"trust": trust, "urn": urn, "address": address}
            )
            schools.append(school)

        admin, created = User.objects.get_or_create(
            email=demo.ADMIN_EMAIL,
            defaults={"first_name": "Systems", "last_name": "Administrator"},
        )
        if created:
            admin.is_staff = admin.is_superuser = True
            admin.set_password(settings.CASEWORK_DEMO_PASSWORD)
            admin.save()

        people = {}
        for first, last, title, school_index, volunteer, roles in demo.PEOPLE:
            email = demo.email_for(first, last)
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
        return people
