"""What a stage may ask of any pod: where its services answer, and how a command ended."""

from assay.sandbox.infra import Credentials
from assay.sandbox.pod import AppState, Endpoints, ExecResult, Stop

ENDPOINTS = Endpoints(
    credentials=Credentials(app_password="apppw", grader_password="graderpw"),
    db_port=15432,
    redis_port=16379,
    app_port=18000,
)


def test_the_app_answers_on_loopback_at_its_port():
    assert ENDPOINTS.app_url == "http://127.0.0.1:18000"


def test_the_database_url_is_the_app_roles_on_the_app_database_by_default():
    assert ENDPOINTS.database_url() == "postgresql://app:apppw@127.0.0.1:15432/app"


def test_the_grader_may_read_the_app_database_with_its_own_role():
    assert (
        ENDPOINTS.database_url("app", grader=True)
        == "postgresql://grader:graderpw@127.0.0.1:15432/app"
    )


def test_the_grader_database_url_is_the_graders_role_on_its_database():
    assert ENDPOINTS.grader_database_url() == "postgresql://grader:graderpw@127.0.0.1:15432/grader"


def test_the_redis_url_names_its_database_number():
    assert ENDPOINTS.redis_url(1) == "redis://127.0.0.1:16379/1"


def test_the_default_ports_are_the_services_usual_ones():
    ends = Endpoints(credentials=Credentials())

    assert (ends.db_port, ends.redis_port, ends.app_port) == (5432, 6379, 8000)


def test_a_command_that_exited_zero_by_itself_is_ok():
    assert ExecResult(0, "", 0.1).ok


def test_a_command_stopped_by_the_sandbox_is_not_ok_even_with_exit_code_zero():
    result = ExecResult(0, "", 0.1, stopped_by=Stop.deadline)

    assert not result.ok
    assert result.timed_out


def test_how_a_command_ended_is_one_phrase():
    assert ExecResult(2, "", 0.1).why() == "exited with code 2"
    assert ExecResult(-9, "", 0.1, stopped_by=Stop.pids).why() == (
        "hit the limit on processes and threads"
    )


def test_how_an_app_ended_is_one_phrase():
    assert AppState(False, 1, "").why() == "exited with code 1"
    assert AppState(False, 153, "", Stop.file_size).why() == (
        "killed for writing a file over the file-size limit"
    )
