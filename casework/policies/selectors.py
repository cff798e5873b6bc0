"""Reads about the policy: whose trust, its versions and what changed between them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from casework import permissions
from casework.models import Clause, Policy, Trust, User
from casework.workdays import procedure

from .changes import Changes, changes_between
from .figures import FIGURES, PolicyFigure, figure_of, figures_in


def trust_of(user: User | None) -> Trust | None:
    """The trust whose policy this person reads: their own. A sign-in with no workforce
    record (an administrator) reads the trust's when the installation serves only one."""
    person = permissions.person_of(user)
    if person is not None:
        return person.trust
    trusts = list(Trust.objects.order_by("pk")[:2])
    return trusts[0] if len(trusts) == 1 else None


def _with_clauses(policies):
    return policies.select_related("trust").prefetch_related(
        Prefetch("clauses", queryset=Clause.objects.order_by("order"))
    )


def policy_version(*, trust: Trust, version: str) -> Policy:
    policy = _with_clauses(Policy.objects.filter(trust=trust, version=version)).first()
    if policy is None:
        raise Http404("No such version of the policy.")
    return policy


@dataclass(frozen=True)
class VersionEntry:
    policy: Policy
    previous: Policy | None
    changes: Changes | None  # from the previous version; None for the first


def version_history(*, trust: Trust) -> list[VersionEntry]:
    """Every version of the trust's policy, newest first, each with what changed from the
    version before it (in the order they were adopted here)."""
    versions = list(_with_clauses(Policy.objects.filter(trust=trust)).order_by("pk"))
    entries = [
        VersionEntry(
            policy=policy,
            previous=previous,
            changes=changes_between(previous, policy) if previous is not None else None,
        )
        for previous, policy in zip([None, *versions[:-1]], versions, strict=True)
    ]
    return entries[::-1]


@dataclass(frozen=True)
class StatedFigure:
    """A number the procedure takes from this version, and where it comes from."""

    figure: PolicyFigure
    value: int
    stated: bool  # False: the version states none, and the setting applies
    code: str  # the clause that states it
    setting: int

    @property
    def differs_from_setting(self) -> bool:
        return self.stated and self.value != self.setting


def figures_of(policy: Policy) -> list[StatedFigure]:
    """Each number of the procedure as this version gives it (clauses prefetched)."""
    where = {found.name: found.code for found in figures_in(list(policy.clauses.all()))}
    return [
        StatedFigure(
            figure=figure,
            value=figure_of(policy, figure.name),
            stated=figure.name in (policy.figures or {}),
            code=where.get(figure.name, ""),
            setting=procedure(figure.name, trust=policy.trust_id),
        )
        for figure in FIGURES
    ]
