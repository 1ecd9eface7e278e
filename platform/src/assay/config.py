"""Settings read from the environment (prefix ``ASSAY_``)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SandboxKind = Literal["docker", "local"]


def _package_root() -> Path:
    """The repository this package is installed from (``pip install -e platform``).

    Another installation names its problems folder with ``ASSAY_ROOT``; the working
    directory never decides which problems are graded.
    """
    return Path(__file__).resolve().parents[3]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSAY_")

    root: Path = Field(default_factory=_package_root)
    sandbox: SandboxKind = "docker"
    base_image: str = "auto"
    runtime_image: str | None = None
    cache_dir: Path = Path.home() / ".cache" / "assay"
    baseline_max_age_s: int = 6 * 3600
    output_cap_bytes: int = 256 * 1024

    @property
    def docker_dir(self) -> Path:
        return self.root / "platform" / "docker"


@lru_cache
def get_settings() -> Settings:
    return Settings()
