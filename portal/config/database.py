"""The default database: DATABASE_URL, or a SQLite file in the data folder."""

from pathlib import Path

import environ


def default_database(env: environ.Env, *, var_dir: Path) -> dict:
    database = env.db("DATABASE_URL", default=f"sqlite:///{var_dir / 'portal.sqlite3'}")
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work during a write, IMMEDIATE transactions take the write lock up
        # front so two submitters queue instead of failing with "database is locked".
        database.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    else:
        database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        database["CONN_HEALTH_CHECKS"] = True
    return database
