"""Notices: one service that tells a person about an event, in the inbox and by e-mail.

Any area registers its kinds of notice (kinds.py: a label for the settings page and the
message, both translatable) and calls `service.tell` in the same transaction as the event,
so a rolled-back event tells nobody; the e-mails go out after the commit, each written in
its recipient's language. A person turns each kind off, for the inbox or for e-mail, on
the settings page linked from the account page (views.py).
"""
