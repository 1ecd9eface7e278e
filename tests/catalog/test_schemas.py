"""What problem.toml may say about processes and faults."""

from typing import Any

import pytest
from pydantic import ValidationError

from assay.catalog.schemas import ProblemSpec


def _spec(**overrides: Any) -> ProblemSpec:
    fields: dict[str, Any] = {
        "slug": "p",
        "title": "P",
        "version": "1",
        "difficulty": "junior",
        "time_box": "1 hour",
        "stack": ["python"],
        **overrides,
    }
    return ProblemSpec.model_validate(fields)


def _process(name: str, port: int | None = None) -> dict[str, Any]:
    return {"name": name, "command": f"run {name}", "port": port}


def test_processes_may_be_named_and_stopped_by_faults() -> None:
    spec = _spec(
        processes=[_process("gateway", 8000), _process("worker")], faults={"stop": ["worker"]}
    )
    assert [process.name for process in spec.processes] == ["gateway", "worker"]


def test_a_process_may_not_take_an_infrastructure_name() -> None:
    with pytest.raises(ValidationError, match="unique and none of"):
        _spec(processes=[_process("redis", 8000)])


def test_process_names_are_unique() -> None:
    with pytest.raises(ValidationError, match="unique"):
        _spec(processes=[_process("api", 8000), _process("api")])


def test_some_process_must_listen_on_the_public_port() -> None:
    with pytest.raises(ValidationError, match="public port 8000"):
        _spec(processes=[_process("api", 9000)])


def test_faults_name_only_known_services_or_processes() -> None:
    with pytest.raises(ValidationError, match="no service or process"):
        _spec(services=["postgres"], faults={"stop": ["redis"]})
