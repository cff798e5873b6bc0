"""The trust, its schools, its workforce and the roles people hold in casework."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q

from casework import clock


class UserManager(BaseUserManager):
    """Sign-in is by e-mail address, compared without regard to case."""

    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("A sign-in needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A sign-in. The person behind it is the linked StaffMember, if any."""

    username = None
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class TrustManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Trust(models.Model):
    name = models.CharField(max_length=200, unique=True)
    address = models.TextField(blank=True)

    objects = TrustManager()

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.name,)


class School(models.Model):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200, unique=True)
    urn = models.CharField("unique reference number", max_length=10, blank=True)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def name_shown(*, staff_name: str | None, account_name: str, email: str) -> str:
    """How a sign-in is named to others: by its person's name on the staff record, else by the
    name on the account, else by its e-mail address."""
    return staff_name or account_name.strip() or email


class StaffMember(models.Model):
    """Anyone in the trust's workforce: an employee or a volunteer."""

    class Kind(models.TextChoices):
        EMPLOYEE = "employee", "Employee"
        VOLUNTEER = "volunteer", "Volunteer"

    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="workforce")
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="workforce",
        null=True,
        blank=True,
        help_text="Empty for the trust's central team.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField("e-mail address", unique=True)
    job_title = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EMPLOYEE)
    is_teacher = models.BooleanField(
        "teacher",
        default=False,
        help_text=(
            "Employed or engaged to teach: a Teaching Regulation Agency referral must be "
            "considered if they are dismissed for serious misconduct, or leave before they "
            "would have been."
        ),
    )
    started_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    date_of_birth = models.DateField(
        null=True,
        blank=True,
        help_text="Only for retention: safeguarding records are kept to normal retirement age.",
    )
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
        help_text="The sign-in this person uses, if they have one.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "member of staff"
        verbose_name_plural = "workforce"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_volunteer(self) -> bool:
        return self.kind == self.Kind.VOLUNTEER

    @property
    def has_left(self) -> bool:
        return self.left_on is not None and self.left_on <= clock.today()

    @property
    def can_sign_in(self) -> bool:
        """Has an active sign-in and is still with the trust: someone a task can go to."""
        return self.user_id is not None and self.user.is_active and not self.has_left


class Role(models.TextChoices):
    """Casework roles. Being a member of staff needs no role: everyone may report."""

    HR_CASE_MANAGER = "hr", "HR case manager"
    INVESTIGATING_OFFICER = "io", "Investigating officer"
    HEADTEACHER = "headteacher", "Headteacher"
    SAFEGUARDING_LEAD = "dsl", "Designated safeguarding lead"
    TRUST_EXECUTIVE = "executive", "Trust executive"
    DATA_PROTECTION_OFFICER = "dpo", "Data Protection Officer"
    CHAIR_OF_GOVERNORS = "governors_chair", "Chair of governors"
    # Keeps the trust's letterhead and procedure settings; sees no case.
    TRUST_ADMINISTRATOR = "administrator", "Trust administrator"


SCHOOL_ROLES = (Role.HEADTEACHER, Role.SAFEGUARDING_LEAD, Role.CHAIR_OF_GOVERNORS)
TRUST_WIDE_ROLES = (
    Role.HR_CASE_MANAGER,
    Role.TRUST_EXECUTIVE,
    Role.DATA_PROTECTION_OFFICER,
    Role.TRUST_ADMINISTRATOR,
)

# Where a case sits when the person it is about works for no school of the trust.
CENTRAL_TEAM = "Trust central team"


# Stand-in people Casework makes for itself (the anonymised subject of a record kept under
# the retention schedule) have addresses here: nobody can report them or be given a task.
STAND_IN_EMAIL_DOMAIN = "casework.invalid"


def place_name(school: "School | None") -> str:
    """A school's name, or the trust central team's when there is no school."""
    return school.name if school is not None else CENTRAL_TEAM


class RoleAssignment(models.Model):
    """A role held by a person, at one school or across the trust.

    Headteachers, designated safeguarding leads and chairs of governors act for one school;
    HR case managers and the trust executive act trust-wide; an investigating officer may be
    either. The chair of governors takes the headteacher's part in a case the headteacher is
    too close to (KCSIE Part 4), before the trust executive.
    """

    person = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="role_holders"
    )
    deputy = models.BooleanField(
        default=False,
        help_text="A deputy (e.g. deputy DSL) acts when the lead cannot.",
    )

    class Meta:
        ordering = ["role", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "school"],
                condition=Q(school__isnull=False),
                name="one_role_per_person_per_school",
            ),
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(school__isnull=True),
                name="one_trust_wide_role_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in SCHOOL_ROLES]) | Q(school__isnull=False),
                name="school_roles_name_a_school",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in TRUST_WIDE_ROLES]) | Q(school__isnull=True),
                name="trust_wide_roles_name_no_school",
            ),
        ]

    def __str__(self) -> str:
        where = self.school.name if self.school_id else "the trust"
        deputy = "Deputy " if self.deputy else ""
        return f"{deputy}{self.get_role_display()} at {where}"
