"""The notification pages: the list, marking read, the bell fragment, e-mail settings.

Every lookup goes through selectors.notifications_for(user): another person's notification is
a 404, as is one about a store the user no longer sees.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaintdesk.core.errors import NotFound
from complaintdesk.notifications import selectors, services
from complaintdesk.notifications.forms import PreferenceForm

PAGE_SIZE = 50


def _next_or(request, default: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
@require_GET
def notification_list(request):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_GET
def bell(request):
    """The bell alone, for htmx to refresh it in place; its forms return to the page it is on."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    page = current.path + (f"?{current.query}" if current.query else "")
    if not url_has_allowed_host_and_scheme(page, {request.get_host()}):
        page = ""
    return render(
        request,
        "notifications/_bell.html",
        {**selectors.bell(request.user), "next_url": page or reverse("notifications:list")},
    )


@login_required
@require_POST
def mark_read(request, pk):
    try:
        services.notification_mark_read(actor=request.user, notification_id=pk)
    except NotFound:
        raise Http404(_("Not found.")) from None
    return _next_or(request, "notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications marked read."))
    return _next_or(request, "notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preference_settings(request):
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_set(actor=request.user, email=form.cleaned_data["email"])
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notifications:settings")
    else:
        form = PreferenceForm(initial={"email": selectors.wants_email(request.user)})
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "has_address": bool(request.user.email)},
    )
