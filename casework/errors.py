"""Errors a person can act on. Each message says what happened and what to do next."""


class CaseworkError(Exception):
    """Base class: the message is shown to the person who tried the action."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(CaseworkError):
    """The person may not do this (answered with 403, or 404 if they may not see the case)."""


class RuleBroken(CaseworkError):
    """The action breaks a rule of the procedure; nothing was changed."""


class CaseMoved(CaseworkError):
    """Someone else changed the case first; nothing was changed."""
