"""Indexes on complaints for the report queries (complaintdesk.reports.figures).

Created with plain SQL from this app because the Complaint model belongs to the complaints app:
its migration state stays untouched (makemigrations there sees no change). The same statements
work on SQLite and PostgreSQL.
"""

from django.db import migrations

INDEXES = {
    # figures.period_figures, the on-time rate of every step: the steps started since the
    # period began (a complaint's steps start at or after its receipt).
    "report_step_started": ("complaints_step", "started_at"),
    # figures.repeat_q: an earlier complaint of the same customer within 90 days (covering:
    # customer, time and the row id, so the correlated subquery never reads the table).
    "report_complaint_customer_time": ("complaints_complaint", "customer_id, received_at"),
    # figures.repeat_q: the same for the vehicle.
    "report_complaint_vehicle_time": ("complaints_complaint", "vehicle_id, received_at"),
    # figures.trend_figures and every period count: store, local-day range and the "not voided"
    # test answered from the index alone.
    "report_complaint_store_time_status": (
        "complaints_complaint",
        "store_id, received_at, status",
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("complaints", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, (table, columns) in INDEXES.items()
    ]
