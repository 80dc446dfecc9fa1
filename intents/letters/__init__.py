"""The applicants' area: the home and call pages, letters and their documents, registering for
a call. Every change to a letter, and a registration, is one function in actions (the office's
decisions are in office/actions)."""
