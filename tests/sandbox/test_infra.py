"""Who may use which database in a pod: the candidate's role owns only its own."""

from assay.sandbox.infra import (
    APP_DB,
    APP_ROLE,
    GRADER_DB,
    GRADER_ROLE,
    SELFTEST_DB,
    Credentials,
    psql_argv,
    setup_statements,
)

CREDENTIALS = Credentials(app_password="apppw", grader_password="graderpw")
STATEMENTS = setup_statements(CREDENTIALS)


def mentioning(word: str) -> list[str]:
    return [statement for statement in STATEMENTS if f" {word} " in f" {statement} "]


def test_the_app_role_logs_in_with_its_password_and_no_privilege():
    [create] = [s for s in STATEMENTS if s.startswith(f"CREATE ROLE {APP_ROLE} ")]

    assert create == f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD 'apppw'"


def test_the_app_role_owns_the_app_and_selftest_databases_and_nothing_else():
    assert mentioning(APP_ROLE) == [
        f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD 'apppw'",
        f"CREATE DATABASE {APP_DB} OWNER {APP_ROLE}",
        f"CREATE DATABASE {SELFTEST_DB} OWNER {APP_ROLE}",
    ]


def test_the_grader_role_reads_everything_and_owns_its_database():
    [create] = [s for s in STATEMENTS if s.startswith(f"CREATE ROLE {GRADER_ROLE} ")]

    assert "IN ROLE pg_read_all_data" in create
    assert f"CREATE DATABASE {GRADER_DB} OWNER {GRADER_ROLE}" in STATEMENTS


def test_the_grader_database_is_closed_to_public():
    assert f"REVOKE ALL ON DATABASE {GRADER_DB} FROM PUBLIC" in STATEMENTS


def test_the_admin_and_template_databases_are_closed_to_public():
    assert "REVOKE ALL ON DATABASE postgres FROM PUBLIC" in STATEMENTS
    assert "REVOKE ALL ON DATABASE template1 FROM PUBLIC" in STATEMENTS


def test_databases_are_created_before_access_to_them_is_revoked():
    created = STATEMENTS.index(f"CREATE DATABASE {GRADER_DB} OWNER {GRADER_ROLE}")

    assert created < STATEMENTS.index(f"REVOKE ALL ON DATABASE {GRADER_DB} FROM PUBLIC")


def test_each_statement_is_its_own_psql_command_stopping_at_the_first_error():
    argv = psql_argv("psql", socket_dir="/tmp", port=5432, credentials=CREDENTIALS)

    assert argv[argv.index("-v") + 1] == "ON_ERROR_STOP=1"
    assert [argv[i + 1] for i, arg in enumerate(argv) if arg == "-c"] == STATEMENTS


def test_every_pod_gets_new_passwords():
    one, other = Credentials(), Credentials()

    assert len({one.app_password, one.grader_password, other.app_password}) == 3
    assert len(one.app_password) == 32
