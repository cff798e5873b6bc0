"""Casework's domain models, one module per aggregate."""

from .audit import AuditChainHead, AuditEvent
from .people import (
    SCHOOL_ROLES,
    TRUST_WIDE_ROLES,
    Role,
    RoleAssignment,
    School,
    StaffMember,
    Trust,
    User,
)
from .policy import Clause, Policy

__all__ = [
    "SCHOOL_ROLES",
    "TRUST_WIDE_ROLES",
    "AuditChainHead",
    "AuditEvent",
    "Clause",
    "Policy",
    "Role",
    "RoleAssignment",
    "School",
    "StaffMember",
    "Trust",
    "User",
]
