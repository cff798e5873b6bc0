"""The case workflow: who must act next on a case, read from the case's status.

Every task hands back to ``route``, which reads the Case's django-fsm status (the single
source of truth) and opens the one task that status calls for; a closed case ends the
flow. Task views call casework services, which fire the transitions; actions that can come
at any moment (withdrawal, a pause, a new chair) go through the same services, which then
call ``workflows.engine.sync`` so the open task always matches the status.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.exceptions import FlowRuntimeError

from casework import permissions
from casework.errors import RuleBroken
from casework.models import CLOSED_STATUSES, Status

from . import views
from .models import CaseProcess, DpoProcess
from .nodes import CaseEnd, CaseStart, CaseTask, DpoTask, StatusIs, StatusRoute


def _task_for(person, part: str, remedy: str):
    """The sign-in a task goes to: never someone who has left or cannot sign in.

    Refusing here rolls back the step that would have given them the task, with the reason.
    """
    if not person.can_sign_in:
        raise RuleBroken(
            f"{person.full_name}, the {part} in this case, has left the trust or cannot sign "
            f"in, so the next step cannot go to them. {remedy} Nothing was changed."
        )
    return person.user


class CaseFlow(flow.Flow):
    """Case

    A concern under the Workforce Social Media Policy, from report to closure.
    """

    process_class = CaseProcess
    process_title = _("Case")
    process_summary_template = "Case {{ process.case.reference }}"
    # viewflow's select-for-update lock on the process row. Waiting for the row (rather
    # than NOWAIT and retrying) matters: a refused NOWAIT inside a service's transaction
    # would leave that transaction aborted on PostgreSQL. Services take this lock first,
    # then the case row, always in that order.
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = CaseStart(this.attach_case).Next(this.route)

    route = (
        StatusRoute()
        .Annotation(title=_("Who acts next?"))
        .Case(this.acknowledge, StatusIs(Status.RECEIVED))
        .Case(this.triage, StatusIs(Status.TRIAGE))
        .Case(this.safeguarding_review, StatusIs(Status.SAFEGUARDING_REVIEW))
        .Case(this.refer_to_lado, StatusIs(Status.LADO_REFERRAL))
        .Case(this.resume_after_hold, StatusIs(Status.ON_HOLD_EXTERNAL))
        .Case(this.appoint_investigator, StatusIs(Status.APPOINTING_INVESTIGATOR))
        .Case(this.investigate, StatusIs(Status.INVESTIGATION))
        .Case(this.consider_report, StatusIs(Status.INVESTIGATION_REPORT))
        .Case(this.arrange_hearing, StatusIs(Status.HEARING_TO_ARRANGE))
        .Case(this.decide_hearing, StatusIs(Status.HEARING_SCHEDULED))
        .Case(this.sign_off, StatusIs(Status.AWAITING_SIGN_OFF))
        .Case(this.reconsider_decision, StatusIs(Status.RETURNED_TO_CHAIR))
        .Case(this.issue_outcome, StatusIs(Status.SIGNED_OFF))
        .Case(this.appeal_window, StatusIs(Status.OUTCOME_ISSUED))
        .Case(this.arrange_appeal, StatusIs(Status.APPEAL_LODGED))
        .Case(this.decide_appeal, StatusIs(Status.APPEAL_HEARING))
        .Case(this.end, StatusIs(*CLOSED_STATUSES))
    )

    # HR case manager (the HR queue until one takes the case on)
    acknowledge = (
        CaseTask(views.AcknowledgeView.as_view())
        .Annotation(title=_("Acknowledge the concern"))
        .Permission(permissions.HR_TASKS)
        .Assign(this.hr_case_manager)
        .Next(this.route)
    )
    triage = (
        CaseTask(views.TriageView.as_view())
        .Annotation(title=_("Triage the concern"))
        .Permission(permissions.HR_TASKS)
        .Assign(this.hr_case_manager)
        .Next(this.route)
    )
    resume_after_hold = (
        CaseTask(views.ResumeView.as_view())
        .Annotation(title=_("Resume when the external process allows"))
        .Permission(permissions.HR_TASKS)
        .Assign(this.hr_case_manager)
        .Next(this.route)
    )
    appoint_investigator = (
        CaseTask(views.AppointInvestigatorView.as_view())
        .Annotation(title=_("Appoint an investigating officer"))
        .Permission(permissions.HR_TASKS)
        .Assign(this.hr_case_manager)
        .Next(this.route)
    )
    consider_report = (
        CaseTask(views.ConsiderReportView.as_view())
        .Annotation(title=_("Decide on the investigation report"))
        .Permission(permissions.HR_TASKS)
        .Assign(this.hr_case_manager)
        .Next(this.route)
    )
    arrange_hearing = (
        CaseTask(views.ArrangeHearingView.as_view())
        .Annotation(title=_("Arrange the hearing"))
        .ForVolunteers(title=_("Arrange the meeting about the volunteering arrangement"))
        .Permission(permissions.HR_TASKS)
        .Assign(this.hr_case_manager)
        .Next(this.route)
    )
    issue_outcome = (
        CaseTask(views.IssueOutcomeView.as_view())
        .Annotation(title=_("Issue the outcome"))
        .Permission(permissions.HR_TASKS)
        .Assign(this.hr_case_manager)
        .Next(this.route)
    )
    appeal_window = (
        CaseTask(views.AppealWindowView.as_view())
        .Annotation(title=_("Record an appeal, or close when the window passes"))
        .Permission(permissions.HR_TASKS)
        .Assign(this.hr_case_manager)
        .Next(this.route)
    )
    arrange_appeal = (
        CaseTask(views.ArrangeAppealView.as_view())
        .Annotation(title=_("Arrange the appeal hearing"))
        .ForVolunteers(title=_("Arrange the appeal meeting"))
        .Permission(permissions.HR_TASKS)
        .Assign(this.hr_case_manager)
        .Next(this.route)
    )

    # Designated safeguarding lead (or whoever stands in when the DSL is too close)
    safeguarding_review = (
        CaseTask(views.SafeguardingReviewView.as_view())
        .Annotation(title=_("Review a safeguarding concern"))
        .Assign(this.safeguarding_lead)
        .Next(this.route)
    )
    refer_to_lado = (
        CaseTask(views.LadoReferralView.as_view())
        .Annotation(title=_("Refer to the LADO"))
        .Assign(this.safeguarding_lead)
        .Next(this.route)
    )

    # Investigating officer
    investigate = (
        CaseTask(views.InvestigateView.as_view())
        .Annotation(title=_("Investigate and report"))
        .Assign(this.investigating_officer)
        .Next(this.route)
    )

    # Hearing chair
    decide_hearing = (
        CaseTask(views.HearingDecisionView.as_view())
        .Annotation(title=_("Record the hearing's decision"))
        .ForVolunteers(title=_("Record the meeting's decision"))
        .Assign(this.hearing_chair)
        .Next(this.route)
    )
    reconsider_decision = (
        CaseTask(views.HearingDecisionView.as_view())
        .Annotation(title=_("Reconsider the decision"))
        .Assign(this.hearing_chair)
        .Next(this.route)
    )

    # Headteacher, or the trust executive when the headteacher is too close
    sign_off = (
        CaseTask(views.SignOffView.as_view())
        .Annotation(title=_("Sign off the outcome"))
        .Assign(this.signing_authority)
        .Next(this.route)
    )

    # Appeal chair
    decide_appeal = (
        CaseTask(views.AppealDecisionView.as_view())
        .Annotation(title=_("Decide the appeal"))
        .Assign(this.appeal_chair)
        .Next(this.route)
    )

    end = CaseEnd()

    # --- callbacks -------------------------------------------------------------------------

    def attach_case(self, activation, case):
        activation.process.case = case
        return activation.process

    def hr_case_manager(self, activation):
        """The case's HR case manager; before one takes it on (or once they are too close,
        e.g. a witness), the shared HR queue.

        A concern about a member of the HR team never waits in the shared queue, where
        they would see it: it goes straight to a colleague.
        """
        case = activation.process.case
        too_close = permissions.conflicted_ids(case)
        manager = case.case_manager
        if manager is not None and manager.pk not in too_close and manager.can_sign_in:
            return manager.user
        if permissions.is_hr_person(case.subject):
            colleague = permissions.first_hr_user(trust_id=case.trust_id, excluding=too_close)
            if colleague is None:
                # Never the shared queue, where the subject would see it.
                raise RuleBroken(
                    "Every HR case manager is involved in this case, so nobody in HR can take "
                    "its next step. Ask the trust executive to add another HR case manager. "
                    "Nothing was changed."
                )
            return colleague
        return None

    def safeguarding_lead(self, activation):
        return _task_for(
            activation.process.case.safeguarding_lead,
            "designated safeguarding lead",
            "Ask HR to correct the case's school, which chooses the safeguarding lead again.",
        )

    def investigating_officer(self, activation):
        return _task_for(
            activation.process.case.investigating_officer,
            "investigating officer",
            "Replace the investigating officer first.",
        )

    def hearing_chair(self, activation):
        return _task_for(
            activation.process.case.hearing_chair,
            "hearing chair",
            "Arrange the hearing again with another chair.",
        )

    def signing_authority(self, activation):
        return _task_for(
            activation.process.case.signing_authority,
            "signing authority",
            "Ask the chair to record the decision again, which chooses who signs it off.",
        )

    def appeal_chair(self, activation):
        return _task_for(
            activation.process.case.appeal_chair,
            "appeal chair",
            "Arrange the appeal hearing again with another chair.",
        )

    # The case's status leads; nobody may cancel, undo or revive a task by hand.
    def has_manage_permission(self, user, obj=None):
        return False

    def cancel(self, process):
        raise FlowRuntimeError(
            "A case's workflow is never cancelled directly: withdraw the case instead."
        )

    def has_view_permission(self, user, obj=None):
        if obj is not None:
            return permissions.can_view_case(user, obj.case)
        return bool(permissions.held_roles(user))


class DpoFlow(flow.Flow):
    """DPO decision

    A possible personal data breach: is it reportable to the Information Commissioner?
    One task for the Data Protection Officer, beside the case's own workflow.
    """

    process_class = DpoProcess
    process_title = _("DPO decision")
    process_summary_template = "Case {{ process.decision.case.reference }}"
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = CaseStart(this.attach_decision).Next(this.decide)

    # Data Protection Officer (the DPOs' queue until one is named)
    decide = (
        DpoTask(views.DpoDecisionView.as_view())
        .Annotation(title=_("Decide on reporting to the ICO"))
        .Permission(permissions.DPO_TASKS)
        .Assign(this.data_protection_officer)
        .Next(this.end)
    )

    end = CaseEnd()

    # --- callbacks -------------------------------------------------------------------------

    def attach_decision(self, activation, decision):
        activation.process.decision = decision
        return activation.process

    def data_protection_officer(self, activation):
        officer = activation.process.decision.officer
        return officer.user if officer is not None and officer.can_sign_in else None

    # Like the case's workflow: the decision leads, nobody cancels, undoes or revives.
    def has_manage_permission(self, user, obj=None):
        return False

    def cancel(self, process):
        raise FlowRuntimeError("A DPO decision's workflow is never cancelled: record the decision.")

    def has_view_permission(self, user, obj=None):
        if obj is not None:
            return permissions.may_see_dpo_decision(user, obj.decision)
        return permissions.is_hr(user) or permissions.is_dpo(user)
