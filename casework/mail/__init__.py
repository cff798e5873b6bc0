"""E-mail off the request path.

A page never talks to the mail server. ``send_after_commit`` writes the message to the
database inside the work it tells of and hands it to the task queue once that work is
committed, so nothing is sent for work that was rolled back and nothing is sent while the
case or the audit trail is locked. The worker (``manage.py db_worker``) sends it with a
timeout, tries again with a growing wait a set number of times, and then leaves it failed,
on the case's audit trail where it concerns one, for HR to see and send again
(``casework.mail.views``). See README.md, "E-mail".
"""

from .queue import failed_messages, resend, send_after_commit

__all__ = ["failed_messages", "resend", "send_after_commit"]
