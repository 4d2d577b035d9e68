"""Writes for annual production reports: a report and its lines, all or nothing."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kontum_cp.locking import save_versioned
from kontum_cp.roles import can_edit, is_administrator

from .models import (
    APPROVE_PERMISSION,
    DUPLICATE_LINE,
    DUPLICATE_REPORT,
    AnnualReport,
    ReportState,
    ResourceLine,
)


@transaction.atomic
def report_save(*, establishment, data, lines, report=None, expected_version=None):
    """Create or change the establishment's report and replace its lines.

    `data`: product, product_unit, output, year, notes (any subset).
    `lines`: [(resource_type_id, quantity)], one per resource type.
    Lines of types no longer listed are removed, others updated or added.
    Any invalid value rolls the whole save back (the report included).
    """
    report = report or AnnualReport(establishment=establishment)
    for name, value in data.items():
        setattr(report, name, value)
    report.full_clean()
    try:
        save_versioned(report, expected_version)
    except IntegrityError:
        # Somebody saved a report for the same establishment and year between the check and the
        # write: the unique constraint refuses it; say so next to the year instead of failing.
        raise ValidationError({"year": DUPLICATE_REPORT}) from None

    existing = {line.resource_type_id: line for line in report.lines.all()}
    wanted = dict(lines)
    if len(wanted) != len(lines):
        raise ValidationError(DUPLICATE_LINE)
    report.lines.exclude(resource_type_id__in=wanted.keys()).delete()
    for type_id, quantity in lines:
        line = existing.get(type_id) or ResourceLine(report=report, resource_type_id=type_id)
        if line.pk and line.quantity == quantity:
            continue
        line.quantity = quantity
        line.full_clean()
        line.save()
    return report


SUBMIT, APPROVE, RETURN = "submit", "approve", "return"
# action -> (the states it starts from, the state it ends in)
TRANSITIONS = {
    SUBMIT: ((ReportState.DRAFT, ReportState.RETURNED), ReportState.SUBMITTED),
    APPROVE: ((ReportState.SUBMITTED,), ReportState.APPROVED),
    RETURN: ((ReportState.SUBMITTED, ReportState.APPROVED), ReportState.RETURNED),
}
STATE_CHANGE_REASON = "state: %s"  # the history's change reason of a transition (not a change of data)


def may_approve(user):
    return user.is_authenticated and user.has_perm(APPROVE_PERMISSION)


def entered_by(report):
    """The ids of the users who entered or changed the report's data: its history and its lines' history,
    leaving out the saves that only moved its state."""
    report_users = report.history.exclude(history_change_reason__startswith="state: ").values_list(
        "history_user_id", flat=True)
    line_users = ResourceLine.history.filter(report_id=report.pk).values_list("history_user_id", flat=True)
    return {pk for pk in (*report_users, *line_users) if pk is not None}


def actions_for(user, report):
    """The transitions `user` may start on `report` now (for the report page's buttons)."""
    out = []
    for action, (sources, _target) in TRANSITIONS.items():
        if report.state in sources and _refusal(user, report, action, entered=None) is None:
            out.append(action)
    return out


def _refusal(user, report, action, *, entered):
    if action == SUBMIT:
        return None if can_edit(user) else _("Only data entry and administrators can submit a report.")
    if not may_approve(user):
        return _("Only users allowed to approve reports can approve or return one.")
    if action == APPROVE and not is_administrator(user):
        entered = entered_by(report) if entered is None else entered
        if user.pk in entered:
            return _("You entered data of this report: somebody else must approve it.")
    return None


@transaction.atomic
def report_transition(*, report, action, user, expected_version, reason=""):
    """Move `report` to its next state (submit, approve, return), with the optimistic-locking check.

    Kept in the report's history with who and when (simple_history; the change reason names the
    transition). Returning needs a reason. PermissionDenied when `user` may not; ValidationError when the
    report is not in a state the action starts from; StaleVersionError when it changed since it was shown.
    """
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    sources, target = TRANSITIONS[action]
    refused = _refusal(user, report, action, entered=None)
    if refused:
        raise PermissionDenied(refused)
    if report.state not in sources:
        raise ValidationError(_("This cannot be done to a report that is %(state)s.") % {
            "state": report.get_state_display()})
    reason = (reason or "").strip()
    if action == RETURN and not reason:
        raise ValidationError({"reason": _("Say why the report is returned.")})
    report.state = target
    report.state_reason = reason if action == RETURN else ""
    report._change_reason = STATE_CHANGE_REASON % target
    report._history_user = user  # who, also outside a request (simple_history)
    save_versioned(report, expected_version)
    return report

