"""Seed a large call cycle for the benchmarks (bench/run.py), quickly, with bulk inserts.

Not for production data: it creates a call of its own (refusing if its slug exists), organisations
with their owners, filed letters with their documents on disk, a reviewer pool, assignments,
reviews with per-criterion scores, filed versions and audit events, plus applicants who each hold
one complete draft (the deadline rush and the uploads use them). The users sign in through
sessions written here (no password: nothing goes through the rate-limited sign-in page); the
officer has an authenticator app on record, which is all the two-factor middleware checks.
The ids and session keys the load client needs are written as JSON to --manifest.

The parts: seeder (what is created, in what order), samples (the sample values and a
padded PDF), bulk (inserts by the thousand, with PostgreSQL's COPY where there is one).
"""
