"""Reads. The only place that filters by who may see what."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from . import permissions
from .models import Clause, Policy, User


@dataclass(frozen=True)
class Feature:
    title: str
    description: str
    url: str
    icon: str


def current_policy() -> Policy | None:
    return (
        Policy.objects.filter(is_current=True)
        .select_related("trust")
        .prefetch_related(Prefetch("clauses", queryset=Clause.objects.order_by("order")))
        .first()
    )


def policy_review_overdue(policy: Policy, *, today: datetime.date | None = None) -> bool:
    return policy.next_review_due < (today or timezone.localdate())


def features_for(user: User) -> list[Feature]:
    """What this person can do here, in the order they are most likely to want it."""
    features: list[Feature] = []
    features.append(
        Feature(
            "Read the social media policy",
            "The Workforce Social Media Policy, clause by clause, with plain-English summaries.",
            reverse("casework:policy"),
            "policy",
        )
    )
    if permissions.held_roles(user):
        features.append(
            Feature(
                "My tasks",
                "Casework waiting for you: your inbox, and the shared queue for your role.",
                reverse("workflow:inbox"),
                "inbox",
            )
        )
    if permissions.may_use_admin(user):
        features.append(
            Feature(
                "Administration",
                "Manage sign-ins, schools, workforce records and role assignments.",
                reverse("admin:index"),
                "admin_panel_settings",
            )
        )
    return features
