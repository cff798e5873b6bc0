"""The --trust option of commands that work on one trust's policy."""

from django.core.management.base import CommandError

from casework.models import Trust


def add_trust_argument(parser) -> None:
    parser.add_argument(
        "--trust", help="The trust's name (needed only when Casework holds more than one)."
    )


def trust_from(name: str | None) -> Trust:
    """The trust named, or the only one held; a clear error otherwise."""
    if name:
        trust = Trust.objects.filter(name=name).first()
        if trust is None:
            raise CommandError(f"No trust is called {name!r}.")
        return trust
    trusts = list(Trust.objects.order_by("name")[:2])
    if not trusts:
        raise CommandError("No trust is held yet: run manage.py seed_demo or add one.")
    if len(trusts) > 1:
        raise CommandError("Casework holds more than one trust: name one with --trust.")
    return trusts[0]
