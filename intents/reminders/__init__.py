"""Deadline reminders and the office's digest: who is due what, and writing it to the outbox.

The beat task runs `engine.send_due` every few minutes; every reminder carries a key (call,
recipient, kind, threshold), so running it twice, or late, sends nothing twice.
"""
