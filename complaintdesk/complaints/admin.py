"""The admin holds reference data only. Complaints are read and changed through the staff UI and
the API, where store scope, roles and the timeline are enforced; the admin would bypass them."""
