from django import template

from complaintdesk.warranty import display, selectors, services
from complaintdesk.warranty.choices import Position, Standing, ThresholdCode
from complaintdesk.warranty.forms import VehicleFactsForm, VisitForm
from complaintdesk.warranty.models import LegalRiskFlag

register = template.Library()

ROW_CLASS = {
    Standing.MET: "table-danger",
    Standing.CLOSE: "table-warning",
    Standing.UNKNOWN: "table-secondary",
    Standing.NOT_MET: "",
}
BADGE_CLASS = {
    Standing.MET: "text-bg-danger",
    Standing.CLOSE: "text-bg-warning",
    Standing.UNKNOWN: "text-bg-secondary",
    Standing.NOT_MET: "text-bg-success",
    Position.INSIDE: "text-bg-primary",
    Position.OUTSIDE: "text-bg-light border",
}


@register.inclusion_tag("warranty/_panel_body.html", takes_context=True)
def warranty_panel(context, complaint):
    """The complaint page's three-guarantees box (SPEC §9): where the complaint stands against
    each threshold, the vehicle's visits, and the forms to record facts and visits. The page has
    already passed the access check for `complaint`."""
    request = context.get("request")
    user = getattr(request, "user", None)
    vehicle = complaint.vehicle
    if vehicle is None:
        return {"c": complaint, "vehicle": None}
    visits = selectors.vehicle_visits(vehicle)
    evaluation = selectors.evaluate_complaint(complaint, visits=visits)
    faults = selectors.fault_visit_ids(complaint)
    others = selectors.other_complaint_faults(user, complaint, visits) if user else {}
    limit = selectors.limits_for(complaint.store, evaluation.start or evaluation.reference).get(
        ThresholdCode.SINGLE_REPAIR_DAYS
    )
    single_limit = limit.value if limit else None
    editable = user is not None and services.can_edit(user, complaint)
    # A form the user sent back with errors (views._panel_error), by its prefix.
    bound = context.get("warranty_bound") or {}
    visit_rows = []
    for v in visits:
        days = (v.date_out or evaluation.today) - v.date_in
        visit_rows.append(
            {
                "v": v,
                "prefix": f"v{v.pk}",
                "days": days.days + 1,
                "fault": v.pk in faults,
                "other_faults": others.get(v.pk, []),
                "long": single_limit is not None and days.days + 1 > single_limit,
                "form": bound.get(f"v{v.pk}")
                or VisitForm(
                    initial={
                        **{
                            name: getattr(v, name)
                            for name in VisitForm.base_fields
                            if hasattr(v, name)
                        },
                        "is_complaint_fault": v.pk in faults,
                    },
                    prefix=f"v{v.pk}",
                )
                if editable
                else None,
            }
        )
    return {
        "c": complaint,
        "vehicle": vehicle,
        "e": evaluation,
        "standing_badge": BADGE_CLASS[evaluation.standing],
        "periods": [
            {
                "label": display.period_label(code),
                "p": p,
                "badge": BADGE_CLASS[p.position],
                "position": Position(p.position).label,
                "text": display.period_text(p),
            }
            for code, p in evaluation.periods.items()
        ],
        "conditions": [
            {
                "c": cond,
                "label": display.condition_label(cond.code),
                "text": display.condition_text(cond),
                "row": ROW_CLASS[cond.standing],
                "badge": BADGE_CLASS[cond.standing],
                "standing": Standing(cond.standing).label,
            }
            for cond in evaluation.conditions
        ],
        "open_repairs": [
            {
                "r": r,
                "text": display.open_repair_text(r),
                "badge": BADGE_CLASS[r.standing],
                "standing": Standing(r.standing).label,
            }
            for r in evaluation.open_repairs
        ],
        "unknowns": [display.unknown_text(code, params) for code, params in evaluation.unknowns],
        "notes": [display.note_text(code, params) for code, params in evaluation.notes],
        "flags": LegalRiskFlag.objects.filter(complaint=complaint),
        "visits": visit_rows,
        "editable": editable,
        "facts_form": bound.get("facts")
        or VehicleFactsForm(
            initial={
                "invoice_date": vehicle.invoice_date,
                "delivery_date": vehicle.delivery_date,
                "mileage_km": vehicle.mileage_km,
                "mileage_read_on": vehicle.mileage_read_on,
            }
        ),
        "visit_form": bound.get("new") or VisitForm(prefix="new"),
        "open_form": next(iter(bound), ""),
    }


@register.filter
def imports_repairs(user) -> bool:
    """Whether the top bar offers the repair-order import (the roles that record visits)."""
    from complaintdesk.warranty.views import _import_stores

    return bool(user.is_authenticated and _import_stores(user))
