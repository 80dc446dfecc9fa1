"""A deployment of the portal of the test's own, driven the way an operator drives one: every
command is `manage.py …` in a process of its own, with the environment pointing it at a database
(a scratch PostgreSQL database, or a SQLite file) and a private storage (a bucket on the real S3
server, or a folder). Nothing of the test process's own database or storage is touched.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.services import require

ROOT = Path(__file__).resolve().parents[2]
# What an outer environment (CI's) says about its own deployment is not said to ours.
NOT_INHERITED = (
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "DJANGO_SETTINGS_MODULE",
    "PRIVATE_STORAGE_ROOT",
    "PRIVATE_STORAGE_BACKEND",
    "SECURE",
    "PORTAL_TEST_QUEUE",
)


def postgres_admin_url():
    """The PostgreSQL server CI's DATABASE_URL names (its `postgres` database), else the local
    one on 127.0.0.1:5432."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return urlunsplit(urlsplit(url)._replace(path="/postgres", query=""))
    return "postgresql://postgres@127.0.0.1:5432/postgres"


def database_url_for(name):
    return urlunsplit(urlsplit(postgres_admin_url())._replace(path=f"/{name}"))


class PostgresServer:
    def __init__(self):
        import psycopg

        self.psycopg = psycopg
        self.url = postgres_admin_url()
        for program in ("pg_dump", "pg_restore"):
            require(shutil.which(program), f"{program} is not installed (postgresql-client)")
        try:
            self.connection = psycopg.connect(self.url, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as error:
            require(False, f"no PostgreSQL server at {self.url}: {error}")

    def create(self, name, template=None):
        clause = f" TEMPLATE {template}" if template else ""
        self.connection.execute(f'CREATE DATABASE "{name}"{clause}')

    def drop(self, name):
        self.connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self):
        self.connection.close()


class Deployment:
    """The parts every kind shares: the environment, manage.py, reading the database."""

    kind = ""

    def __init__(self, root: Path, database_url: str, storage_env: dict):
        self.root = root
        self.database_url = database_url
        self.env = {
            **{
                key: value
                for key, value in os.environ.items()
                if key not in NOT_INHERITED and not key.startswith("S3_")
            },
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "PORTAL_VAR_DIR": str(root / "var"),
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
            **storage_env,
        }

    def manage(self, *args, timeout=300):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def populate(self, letters):
        code = (
            "import django; django.setup(); "
            f"from tests.operations.populate import main; main({letters})"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    def rows(self, sql):
        raise NotImplementedError

    def filed(self):
        """Every hash a filed version froze, with the stored name of each document of that
        letter recorded with those bytes: what a receipt's holder would check."""
        documents = {}
        for letter_id, name, sha256 in self.rows(
            "SELECT letter_id, file, sha256 FROM intents_document"
        ):
            documents.setdefault((letter_id, sha256), []).append(name)
        receipts = []
        for letter_id, reference, number, snapshot in self.rows(
            "SELECT v.letter_id, l.reference, v.number, v.snapshot FROM intents_letterversion v "
            "JOIN intents_letterofintent l ON l.id = v.letter_id ORDER BY v.id"
        ):
            snapshot = json.loads(snapshot) if isinstance(snapshot, str) else snapshot
            for entry in snapshot["documents"]:
                names = documents.get((letter_id, entry["sha256"]), [])
                receipts.append((reference, number, entry["sha256"], names))
        return receipts

    def counts(self):
        tables = (
            "accounts_user",
            "intents_letterofintent",
            "intents_document",
            "intents_letterversion",
            "notifications_outboundemail",
            "audit_auditevent",
        )
        return {table: self.rows(f"SELECT count(*) FROM {table}")[0][0] for table in tables}  # noqa: S608

    def sha256_of(self, name):
        return hashlib.sha256(self.read(name)).hexdigest()


class PostgresOnS3(Deployment):
    kind = "postgresql+s3"

    def __init__(self, root, server: PostgresServer, template, s3):
        self.server, self.s3 = server, s3
        self.database = f"portal_drill_{uuid.uuid4().hex[:10]}"
        server.create(self.database, template=template)
        super().__init__(root, database_url_for(self.database), s3.settings(prefix="portal"))

    def rows(self, sql):
        with self.server.psycopg.connect(self.database_url) as connection:
            return connection.execute(sql).fetchall()

    def key(self, name):
        return f"portal/{name}"

    def read(self, name):
        body = self.s3.client().get_object(Bucket=self.s3.bucket, Key=self.key(name))["Body"]
        return body.read()

    def write(self, name, data):
        self.s3.client().put_object(Bucket=self.s3.bucket, Key=self.key(name), Body=data)

    def remove(self, name):
        self.s3.client().delete_object(Bucket=self.s3.bucket, Key=self.key(name))

    def stored(self):
        listed = self.s3.keys()
        return [key.removeprefix("portal/") for key in listed]

    def wipe(self):
        """Lose everything: a new, empty database of the same name; every object deleted."""
        self.server.drop(self.database)
        self.server.create(self.database)
        client = self.s3.client()
        listed = self.s3.keys()
        for key in listed:
            client.delete_object(Bucket=self.s3.bucket, Key=key)

    def database_is_empty(self):
        return not self.rows(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'"
        )

    def cleanup(self):
        self.server.drop(self.database)


class SqliteOnFolder(Deployment):
    kind = "sqlite+folder"

    def __init__(self, root, template: Path):
        self.path = root / "portal.sqlite3"
        self.folder = root / "private"
        shutil.copyfile(template, self.path)
        super().__init__(root, f"sqlite:///{self.path}", {"PRIVATE_STORAGE_ROOT": str(self.folder)})

    def rows(self, sql):
        connection = sqlite3.connect(self.path)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def read(self, name):
        return (self.folder / name).read_bytes()

    def write(self, name, data):
        (self.folder / name).write_bytes(data)

    def remove(self, name):
        (self.folder / name).unlink()

    def stored(self):
        return sorted(
            str(path.relative_to(self.folder)) for path in self.folder.rglob("*") if path.is_file()
        )

    def wipe(self):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(self.folder)

    def database_is_empty(self):
        return not self.path.exists() or not self.rows(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )

    def cleanup(self):
        pass
