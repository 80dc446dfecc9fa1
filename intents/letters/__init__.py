"""The applicants' area: the home and call pages, letters and their documents, registering for
a call. Every change to a letter (decisions included) is one function in actions."""
