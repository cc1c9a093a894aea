"""Notifications: in-app (bell and list), e-mail, and store robots (generic JSON, WeCom, DingTalk).

Map:
  services.notify()   the one entry point; called inside the caller's transaction (the deadline
                      sweep, scheduled jobs). Writes Notification rows (in-app, at once) and
                      Delivery rows (outbound copies, due at the store's next office opening
                      unless urgent). Idempotent by dedupe_key.
  delivery.py         the outbox worker: due deliveries → one Digest per target → one message;
                      retries with back-off; the at-least-once window is documented there.
  formats.py          what a digest looks like per channel; transport.py sends and signs.
  tasks.py            Huey periodic task: deliver_due every minute.
  selectors.py        notifications_for(user): the one access predicate for every read.
  templatetags/       {% load notifications %}{% notification_bell %} for the navigation bar.

Adding a channel (say, SMS): a Channel member and target column with its unique constraint on
Delivery and Digest, the queuing in notify(), a send_<channel>() in delivery.py and a format in
formats.py; a new robot format is an EndpointKind member plus a payload function.
"""
