"""Naming and finding the runtime image, against a fake Docker client."""

import re
from pathlib import Path
from types import SimpleNamespace

import docker.errors
import pytest

from assay.config import Settings
from assay.sandbox.images import (
    OFFICIAL_BASE,
    OFFLINE_BASE,
    ImageError,
    RuntimeImage,
    ensure_runtime_image,
    runtime_tag,
)


class FakeImages:
    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.pulled: list[str] = []

    def get(self, name: str) -> SimpleNamespace:
        if name not in self.known:
            raise docker.errors.ImageNotFound(name)
        return SimpleNamespace(id=self.known[name])

    def pull(self, name: str) -> None:
        self.pulled.append(name)
        raise docker.errors.APIError("no registry here")


class FakeClient:
    """Knows some images; has no API, so any attempt to build fails loudly."""

    def __init__(self, known: dict[str, str]) -> None:
        self.images = FakeImages(known)
        self.api = None


def make_settings(root: Path, **overrides: str) -> Settings:
    runtime = root / "platform" / "docker" / "runtime"
    runtime.mkdir(parents=True, exist_ok=True)
    (runtime / "Dockerfile").write_text("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n")
    (runtime / "requirements.lock").write_text("ruff==0.6.0\n")
    return Settings(root=root, cache_dir=root / "cache", **overrides)


def test_runtime_tag_is_a_short_digest(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)

    tag = runtime_tag(settings, "sha256:base")

    assert re.fullmatch(r"assay-runtime:[0-9a-f]{12}", tag)
    assert runtime_tag(settings, "sha256:base") == tag


@pytest.mark.parametrize("changed", ["Dockerfile", "requirements.lock", "base"])
def test_runtime_tag_changes_with_each_input(tmp_path: Path, changed: str) -> None:
    settings = make_settings(tmp_path)
    before = runtime_tag(settings, "sha256:base")

    if changed == "base":
        after = runtime_tag(settings, "sha256:other")
    else:
        path = settings.docker_dir / "runtime" / changed
        path.write_text(path.read_text() + "# changed\n")
        after = runtime_tag(settings, "sha256:base")

    assert after != before


def test_a_configured_runtime_image_is_used_as_is(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, runtime_image="mine:1")
    client = FakeClient({"mine:1": "sha256:mine"})

    image = ensure_runtime_image(client, settings, lambda _: None)

    assert image == RuntimeImage(tag="mine:1", id="sha256:mine")


def test_a_missing_configured_runtime_image_is_an_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, runtime_image="mine:1")

    with pytest.raises(ImageError, match="mine:1"):
        ensure_runtime_image(FakeClient({}), settings, lambda _: None)


@pytest.mark.parametrize("base", [OFFICIAL_BASE, OFFLINE_BASE])
def test_an_up_to_date_image_is_not_rebuilt_nor_its_base_pulled(tmp_path: Path, base: str) -> None:
    settings = make_settings(tmp_path)
    tag = runtime_tag(settings, "sha256:base")
    client = FakeClient({base: "sha256:base", tag: "sha256:runtime"})

    image = ensure_runtime_image(client, settings, lambda _: None)

    assert image == RuntimeImage(tag=tag, id="sha256:runtime")
    assert client.images.pulled == []


def test_an_explicit_base_that_cannot_be_had_is_an_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, base_image="example/base:1")
    lines: list[str] = []

    with pytest.raises(ImageError, match="example/base:1"):
        ensure_runtime_image(FakeClient({}), settings, lines.append)

    assert any("cannot pull example/base:1" in line for line in lines)
