"""Load China's statutory holidays and in-lieu working days from the chinesecalendar package for
the years it covers (SPEC §9: the calendar is data the system owns; later years are entered in the
admin or imported from a file)."""

from django.db import migrations


def load(apps, schema_editor):
    import chinese_calendar

    from complaintdesk.deadlines.calendar import holiday_label

    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    rows = [(d, "holiday", holiday_label(n)) for d, n in chinese_calendar.holidays.items()]
    rows += [(d, "workday", f"{holiday_label(n)} 调休 (in lieu)") for d, n in chinese_calendar.workdays.items()]
    years = sorted({d.year for d, _k, _n in rows})
    CalendarDay.objects.bulk_create([CalendarDay(store=None, date=d, kind=k, name=n) for d, k, n in sorted(rows)])
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source="package", note="chinesecalendar") for y in years]
    )


def unload(apps, schema_editor):
    apps.get_model("deadlines", "CalendarDay").objects.filter(store__isnull=True).delete()
    apps.get_model("deadlines", "CalendarYear").objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
