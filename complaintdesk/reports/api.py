"""GET /api/reports/dashboard: the dashboard's figures as JSON (same scope as the page)."""

import datetime as dt

from ninja import Router

from complaintdesk.reports import selectors

router = Router(tags=["reports"])


@router.get("/dashboard")
def dashboard(
    request, store: int | None = None, start: dt.date | None = None, end: dt.date | None = None
):
    d_start, d_end = selectors.default_period()
    figs = selectors.dashboard(request.auth, store=store, start=start or d_start, end=end or d_end)
    return {
        f.name: {
            "title": str(f.title),
            "rows": [{"label": str(r.label), "value": r.value, "filter": r.params} for r in f.rows],
        }
        for f in figs
    }
