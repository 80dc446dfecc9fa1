"""The backup drill: file letters, back up, lose everything, restore, and prove every receipt.

Run on both production shapes: PostgreSQL (a scratch database of the test's own on the server at
127.0.0.1:5432, or the one CI's DATABASE_URL names) with documents on the real S3 server (moto,
in its own process), and SQLite with documents in a folder. Every step is `manage.py …` in a
process of its own, as an operator would run it. Without PostgreSQL or pg_dump the PostgreSQL
drill is skipped on a laptop and fails under CI.

    .venv/bin/python -m pytest -q tests/operations -k drill
"""

import uuid

import pytest

from .deployments import (
    Deployment,
    PostgresOnS3,
    PostgresServer,
    SqliteOnFolder,
    database_url_for,
)

LETTERS = 4


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    """The PostgreSQL server, and a database migrated once for this module to copy from."""
    server = PostgresServer()
    template = f"portal_drill_template_{uuid.uuid4().hex[:8]}"
    server.create(template)
    try:
        migrate(tmp_path_factory.mktemp("template"), database_url_for(template))
        yield server, template
    finally:
        server.drop(template)
        server.close()


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory):
    root = tmp_path_factory.mktemp("template")
    path = root / "template.sqlite3"
    migrate(root, f"sqlite:///{path}")
    return path


def migrate(root, database_url):
    """`manage.py migrate` into the database each test's deployment starts from a copy of."""
    result = Deployment(root, database_url, {}).manage("migrate", "--no-input", "-v0")
    assert result.returncode == 0, result.stderr


@pytest.fixture(params=["postgresql+s3", "sqlite+folder"])
def deployment(request, tmp_path):
    if request.param == "postgresql+s3":
        server, template = request.getfixturevalue("postgres")
        site = PostgresOnS3(tmp_path, server, template, request.getfixturevalue("s3_server"))
    else:
        site = SqliteOnFolder(tmp_path, request.getfixturevalue("sqlite_template"))
    yield site
    site.cleanup()


def succeeds(result):
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    return result.stdout


def test_drill_a_lost_deployment_is_restored_from_its_backup_and_every_receipt_verifies(
    deployment, tmp_path
):
    filed = deployment.populate(LETTERS)
    assert len(filed["references"]) == LETTERS
    before = deployment.counts()
    receipts_before = deployment.filed()
    stored_before = deployment.stored()
    assert len(stored_before) == filed["documents"]

    output = succeeds(deployment.manage("backup", str(tmp_path / "backup")))
    assert f"and {filed['documents']} file(s)" in output

    deployment.wipe()
    assert deployment.stored() == []
    assert deployment.database_is_empty()

    output = succeeds(deployment.manage("restore", str(tmp_path / "backup")))
    assert f"Restored the {deployment.kind.split('+')[0]} database and" in output
    assert f"{filed['documents']} file(s) (0 already in place, 0 replaced)" in output

    assert deployment.counts() == before
    assert deployment.stored() == stored_before
    report = succeeds(deployment.manage("verify_documents", "--json"))
    assert '"ok": true' in report
    assert f'"documents": {filed["documents"]}' in report
    assert f'"versions": {filed["versions"]}' in report
    assert f'"receipt_hashes": {filed["receipt_hashes"]}' in report

    # Checked here too, without our command: each hash a receipt froze is the SHA-256 of the
    # stored bytes of a document of that letter.
    receipts = deployment.filed()
    assert receipts == receipts_before
    assert len(receipts) == filed["receipt_hashes"]
    for reference, number, sha256, names in receipts:
        assert any(deployment.sha256_of(name) == sha256 for name in names), (reference, number)

    # A second restore is refused: there is data now.
    refused = deployment.manage("restore", str(tmp_path / "backup"))
    assert refused.returncode == 1
    assert "Refusing to restore: the database is not empty" in refused.stderr
    assert "already holds files" in refused.stderr
    # With --force it is harmless: the same database, every file already in place.
    output = succeeds(deployment.manage("restore", "--force", str(tmp_path / "backup")))
    assert f"0 file(s) ({filed['documents']} already in place, 0 replaced)" in output
    assert deployment.counts() == before

    # Later, one object is altered and another lost: the regular check names both.
    documents = deployment.rows(
        "SELECT d.id, d.file, l.reference FROM intents_document d "
        "JOIN intents_letterofintent l ON l.id = d.letter_id "
        "WHERE l.reference IS NOT NULL ORDER BY d.id"
    )
    tampered, missing = documents[1], documents[-1]
    data = bytearray(deployment.read(tampered[1]))
    data[len(data) // 2] ^= 0x01
    deployment.write(tampered[1], bytes(data))
    deployment.remove(missing[1])

    result = deployment.manage("verify_documents")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("WRONG-HASH") and f"{tampered[2]}  document {tampered[0]} " in line
        for line in lines
    ), result.stdout
    assert any(
        line.startswith("MISSING") and f"{missing[2]}  document {missing[0]} " in line
        for line in lines
    ), result.stdout
    assert any(line.startswith("RECEIPT-UNVERIFIED") for line in lines)
    assert f"Checked {filed['documents']} stored document(s)" in result.stdout
    assert "problem(s) found" in result.stderr


def test_a_backup_that_no_longer_matches_its_manifest_is_refused_before_anything_changes(
    sqlite_template, tmp_path
):
    site = SqliteOnFolder(tmp_path, sqlite_template)
    site.populate(1)
    succeeds(site.manage("backup", str(tmp_path / "backup")))
    copy = next(path for path in (tmp_path / "backup" / "files").rglob("*") if path.is_file())
    copy.write_bytes(copy.read_bytes() + b"tail")
    site.wipe()

    refused = site.manage("restore", str(tmp_path / "backup"))
    assert refused.returncode == 1
    assert "1 file(s) of the backup do not match its manifest; nothing was restored" in (
        refused.stderr
    )
    assert copy.relative_to(tmp_path / "backup" / "files").as_posix() in refused.stderr
    assert site.database_is_empty()
    assert not site.folder.exists()


def test_backup_wants_a_folder_of_its_own_and_restore_a_finished_backup(sqlite_template, tmp_path):
    site = SqliteOnFolder(tmp_path, sqlite_template)
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")
    refused = site.manage("backup", str(tmp_path / "used"))
    assert refused.returncode == 1
    assert "is not empty: give each backup a new folder" in refused.stderr

    refused = site.manage("restore", str(tmp_path / "used"))
    assert refused.returncode == 1
    assert "is not a backup, or one that did not finish" in refused.stderr


def test_restoring_only_the_files_repairs_a_lost_or_altered_document_and_keeps_the_rest(
    sqlite_template, tmp_path
):
    site = SqliteOnFolder(tmp_path, sqlite_template)
    site.populate(2)
    succeeds(site.manage("backup", str(tmp_path / "backup")))
    stored = site.stored()
    site.remove(stored[0])
    site.write(stored[1], b"not what was filed")
    assert site.manage("verify_documents").returncode == 1

    refused = site.manage("restore", "--no-database", str(tmp_path / "backup"))
    assert refused.returncode == 1
    assert "already holds files" in refused.stderr
    assert "database" not in refused.stderr.split("Refusing to restore:")[1].split(".")[0]

    output = succeeds(site.manage("restore", "--no-database", "--force", str(tmp_path / "backup")))
    assert f"Restored 1 file(s) ({len(stored) - 2} already in place, 1 replaced)." in output
    assert site.stored() == stored
    succeeds(site.manage("verify_documents"))
