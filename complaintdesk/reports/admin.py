from django.contrib import admin

from complaintdesk.reports.models import Assessment, Notice, Sanction

admin.site.register([Assessment, Sanction, Notice])
