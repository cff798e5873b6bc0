"""Reminders of deadlines, sent by the daily job ``manage.py send_reminders``.

Whoever must act is e-mailed when something is due on the next working day, due today and
overdue; once it is overdue by a number of working days (setting) HR's lead is told too.
The e-mails are Casework's only e-mail (casework.notifications): something waits for you,
here is the link; never a case detail. Each reminder goes once per deadline and threshold
(casework.models.SentReminder).
"""
