"""Writes for annual production reports: a report and its lines, all or nothing."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kontum_cp.locking import save_versioned

from .models import DUPLICATE_LINE, DUPLICATE_REPORT, AnnualReport, ResourceLine


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
