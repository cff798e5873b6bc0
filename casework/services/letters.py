"""Letters: HR previews a draft, issues it as an immutable PDF, and records its delivery.

Issuing renders the letter, stores its PDF through Django's storage API with its SHA-256,
and records the letter and its audit event in one transaction: if rendering, storing or
recording fails, there is no letter, no file and the case is as it was. Issuing the
outcome letter of a signed-off case issues the outcome itself in the same transaction.
An issued letter never changes; issuing again makes a new letter that supersedes it.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import uuid
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from casework import audit, clock, mail, notifications, permissions
from casework.errors import CaseMoved, NotAllowed, RuleBroken
from casework.letters import LetterFailed, kinds, rendering
from casework.letters.context import common_context
from casework.models import (
    Case,
    DeliveryMethod,
    Letter,
    LetterDelivery,
    StaffMember,
    User,
)
from casework.records.storage import StoredFileChanged, files_removed_on_failure, read_verified
from casework.trusts.configuration import letterhead_values

from . import outcomes
from .cases import locked_case, note

logger = logging.getLogger(__name__)

LETTERS_FOLDER = "letters"


@dataclass
class Draft:
    """A letter as it would be issued today, not yet stored anywhere."""

    case: Case
    spec: kinds.Kind
    inputs: dict
    topic: str
    replaces: Letter | None
    dated: datetime.date
    template_name: str
    html: str
    context: dict = field(repr=False)

    @property
    def digest(self) -> str:
        """Identifies exactly what was previewed, so that only that is issued."""
        return hashlib.sha256(self.html.encode()).hexdigest()

    @property
    def template_version(self) -> str:
        return f"{self.template_name}@{rendering.templates_digest()}"

    def screen_html(self) -> str:
        """The same letter for a browser: the print HTML plus a link to its stylesheet."""
        return rendering.render_template(
            self.template_name,
            {**self.context, "stylesheet_url": rendering.static_url(rendering.STYLESHEET)},
        )


def _ensure_manager(case: Case, by: User) -> StaffMember:
    if not permissions.may_manage_case(case, by):
        raise NotAllowed("Only an HR case manager free of any conflict in this case may do this.")
    return permissions.person_of(by)


def draft_letter(
    *, case: Case, by: User, kind: str, inputs: dict, today: datetime.date | None = None
) -> Draft:
    """The letter as it would be issued ``today``, rendered to HTML; nothing is recorded."""
    today = today or clock.today()
    author = _ensure_manager(case, by)
    spec = kinds.kind_for(kind)
    cleaned = spec.checked_inputs(case, inputs, today)
    topic = spec.topic(case, cleaned)
    replaces = (
        Letter.objects.current().filter(case=case, topic=topic).order_by("-issued_at").first()
    )
    template_name = spec.template_for(case)
    context = {
        **common_context(
            case=case, author=author, dated=today, title=spec.heading(case), replaces=replaces
        ),
        **spec.context(case, cleaned, today),
    }
    return Draft(
        case=case,
        spec=spec,
        inputs=cleaned,
        topic=topic,
        replaces=replaces,
        dated=today,
        template_name=template_name,
        html=rendering.render_template(template_name, context),
        context=context,
    )


@dataclass
class Preview:
    draft: Draft
    pdf: rendering.RenderedPdf | None = None


def preview_letter(*, case: Case, by: User, kind: str, inputs: dict, pdf: bool = False) -> Preview:
    """A draft of the letter as it would be issued today (HTML, and the PDF if asked for).

    Nothing is stored but the audit event: a draft shows the case's details too.
    """
    draft = draft_letter(case=case, by=by, kind=kind, inputs=inputs, today=clock.today())
    preview = Preview(draft=draft)
    if pdf:
        try:
            preview.pdf = rendering.html_to_pdf(draft.html)
        except rendering.RenderFailed:
            raise LetterFailed(
                "The draft could not be made into a PDF. Try again; if it keeps happening, tell "
                "the system administrator."
            ) from None
    note(
        case,
        by=by,
        action="viewed.letter_draft",
        summary=f"Draft letter previewed: {draft.spec.title} ({'PDF' if pdf else 'HTML'})",
        details={"kind": draft.spec.kind.value, "format": "pdf" if pdf else "html"},
    )
    return preview


def issue_letter(
    *,
    case: Case,
    by: User,
    kind: str,
    inputs: dict,
    expected_digest: str | None = None,
) -> Letter:
    """Issue the letter: render it, store its PDF and record it, all or nothing.

    ``expected_digest`` is the digest of the draft HR previewed: if the case or the inputs
    changed since, the letter would differ from what they checked, so nothing is issued.
    """
    spec = kinds.kind_for(kind)
    with locked_case(case) as case:
        _ensure_manager(case, by)
        today = clock.today()
        if spec.issues_outcome(case):
            # The outcome goes out with its letter: check the letter can be made first, so
            # a refusal changes nothing, then issue the outcome in this same transaction.
            spec.checked_inputs(case, inputs, today)
            case = outcomes.issue_outcome(case=case, by=by)
        draft = draft_letter(case=case, by=by, kind=kind, inputs=inputs, today=today)
        if expected_digest is not None and expected_digest != draft.digest:
            raise CaseMoved(
                "The letter has changed since you previewed it (the case or what you entered "
                "changed). Nothing was issued: check the new preview, then issue it."
            )
        try:
            pdf = rendering.html_to_pdf(draft.html)
        except rendering.RenderFailed:
            raise LetterFailed(
                "The letter could not be made into a PDF, so nothing was issued and the case is "
                "unchanged. Try again; if it keeps happening, tell the system administrator."
            ) from None
        with files_removed_on_failure() as saver:
            try:
                name = saver.save(f"{LETTERS_FOLDER}/{today:%Y}", pdf.content, ".pdf")
            except Exception:
                logger.exception("An issued letter could not be stored")
                raise LetterFailed(
                    "The letter could not be stored, so nothing was issued and the case is "
                    "unchanged. Try again; if it keeps happening, tell the system administrator."
                ) from None
            letter = Letter.objects.create(
                case=case,
                kind=spec.kind,
                audience=case.subject.kind,
                topic=draft.topic,
                supersedes=draft.replaces,
                sanction=spec.sanction(case),
                sign_off=spec.sign_off(case),
                inputs=draft.inputs,
                dated=today,
                file=name,
                sha256=pdf.sha256,
                size=len(pdf.content),
                pages=pdf.pages,
                template_name=draft.template_name,
                template_version=draft.template_version,
                issued_by=by,
                issued_at=clock.now(),
            )
            note(
                case,
                by=by,
                action="letter.issued",
                target=letter,
                summary=f"Letter issued: {letter.title}"
                + (
                    f" (replaces the letter of {draft.replaces.dated:%d %B %Y})"
                    if draft.replaces
                    else ""
                ),
                details={
                    "kind": spec.kind.value,
                    "sha256": pdf.sha256,
                    "template_version": draft.template_version,
                    "supersedes": draft.replaces.pk if draft.replaces else None,
                },
            )
        return letter


def stored_pdf(letter: Letter, *, by: User | None = None) -> bytes:
    """The issued PDF, checked against the hash recorded when it was issued. A mismatch is
    an audit event on the case, and HR are told that something waits for them there."""
    try:
        return read_verified(letter.file.name, letter.sha256)
    except StoredFileChanged:
        logger.error("Letter %s no longer matches its recorded SHA-256", letter.pk)
        case = letter.case
        audit.record(
            action="letter.file_changed",
            case=case,
            actor=by,
            target=letter,
            summary=f"Stored file of the letter {letter.title} of {letter.dated:%d %B %Y} no "
            "longer matches what was issued: not served",
            details={"sha256": letter.sha256},
        )
        recipients = notifications.hr_recipients(case)
        link = notifications.waiting_link("case", case.pk)
        notifications.something_waiting(to=recipients, link=link, case=case)
        raise LetterFailed(
            "This letter's stored file no longer matches what was issued, so it has not been "
            "served. Tell the system administrator."
        ) from None


def download_letter(*, letter: Letter, by: User) -> bytes:
    """The issued PDF for someone who may see the case; every download is audited."""
    case = letter.case
    if not permissions.can_view_case(by, case):
        raise NotAllowed("You cannot see this case's letters.")
    content = stored_pdf(letter, by=by)
    note(
        case,
        by=by,
        action="viewed.letter",
        target=letter,
        summary=f"Letter downloaded: {letter.title} of {letter.dated:%d %B %Y}",
    )
    return content


def deliver_letter(
    *,
    letter: Letter,
    by: User,
    method: str,
    delivered_on: datetime.date | None = None,
    notes: str = "",
    submission_token: uuid.UUID | None = None,
) -> LetterDelivery:
    """Send the letter by e-mail with its PDF attached, or record that it was handed over
    or posted. Either way the delivery goes on the case's timeline.

    The same form sent twice (``submission_token``) is the delivery already recorded: the
    letter is not e-mailed again.
    """
    with locked_case(letter.case_id) as case:
        _ensure_manager(case, by)
        letter = Letter.objects.get(pk=letter.pk, case=case)
        if submission_token is not None:
            sent = LetterDelivery.objects.filter(submission_token=submission_token).first()
            if sent is not None:
                if sent.letter_id != letter.pk:
                    raise RuleBroken("This form cannot be sent again. Open the letter afresh.")
                return sent
        if letter.is_superseded:
            raise RuleBroken("A later letter replaced this one: deliver that letter instead.")
        if method not in DeliveryMethod.values:
            raise RuleBroken("Choose how the letter was delivered.")
        today = clock.today()
        notes = notes.strip()
        if len(notes) > 300:
            raise RuleBroken("Keep the note to 300 characters.")
        to_address = ""
        if method == DeliveryMethod.EMAIL:
            to_address = case.subject.email
            delivered_on = today
        elif delivered_on is None or not letter.dated <= delivered_on <= today:
            raise RuleBroken(
                f"Give the day it was handed over or posted: between {letter.dated:%d %B %Y} "
                "and today."
            )
        delivery = LetterDelivery.objects.create(
            letter=letter,
            method=method,
            to_address=to_address,
            delivered_on=delivered_on,
            notes=notes,
            recorded_by=by,
            submission_token=submission_token,
        )
        how = {
            DeliveryMethod.EMAIL: f"queued to be e-mailed to {to_address}",
            DeliveryMethod.HAND: "handed over",
            DeliveryMethod.POST: "posted",
        }[method]
        note(
            case,
            by=by,
            action="letter.delivered",
            target=delivery,
            summary=f"Letter {how}: {letter.title} of {letter.dated:%d %B %Y}",
            details={"letter": letter.pk, "method": method, "why": notes} if notes else None,
        )
        if method == DeliveryMethod.EMAIL:
            _email(letter=letter, to_address=to_address)
        return delivery


def _email(*, letter: Letter, to_address: str) -> None:
    """The e-mail says only that a letter is attached: e-mail is forwarded and left open on
    screens, so the details stay in the PDF. It is queued with the delivery and sent by the
    mail worker once both are committed, never while the case is locked; the worker puts
    "Letter e-mailed" on the timeline when it has gone, or tells HR it could not be sent."""
    stored_pdf(letter)  # a letter whose file has changed is refused now, not by the worker
    head = letterhead_values(letter.case.trust_id)  # the case's own trust's, as its letters
    context = {"trust": head.name, "contact_email": head.email}
    mail.send_after_commit(
        to=[to_address],
        subject=render_to_string("casework/letters/email_subject.txt", context).strip(),
        body=render_to_string("casework/letters/email_body.txt", context),
        reply_to=[context["contact_email"]] if context["contact_email"] else None,
        letter=letter,
    )
