"""Backups of the database and of the private storage's files, and their restore.

A backup is a folder:

    manifest.json      written last: what the backup holds (its absence means an unfinished one)
    database.dump      PostgreSQL, `pg_dump --format=custom`   (or database.sqlite3 for SQLite)
    files/<name>       every object of the private storage, under its stored name

The manifest records the dump's size and SHA-256 and each file's name, size and SHA-256; a
restore checks every one of them before it touches the database or the storage.

Consistency: the database is dumped first (one snapshot: pg_dump reads in a single
repeatable-read transaction), the files are copied after. Stored files are never overwritten or
deleted once a row names them (documents are only marked removed), so a copy of the files taken
after the dump holds every file the dump refers to; files uploaded during the copy may be in the
backup without a row naming them, which is harmless.

The parts: base (the refusal, hashing), files (the private storage), database (pg_dump or
SQLite's backup API), folder (the whole backup, its manifest, and the restore).

Generic on purpose: nothing here knows the portal's models (portal/ never imports intents/).
"""
