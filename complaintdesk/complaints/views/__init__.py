"""The staff UI. Views stay thin: parse a form, call a selector or service, render."""

from complaintdesk.complaints.views.act import complaint_act
from complaintdesk.complaints.views.intake import complaint_edit, complaint_new, set_absent
from complaintdesk.complaints.views.pages import (
    complaint_by_number,
    complaint_detail,
    complaint_export,
    complaint_list,
    my_work,
    search,
)

__all__ = [
    "complaint_act",
    "complaint_by_number",
    "complaint_detail",
    "complaint_edit",
    "complaint_export",
    "complaint_list",
    "complaint_new",
    "my_work",
    "search",
    "set_absent",
]
