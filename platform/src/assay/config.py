"""Settings read from the environment (prefix ``ASSAY_``), for the engine and the service."""

import secrets
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SandboxKind = Literal["docker", "local"]
DATA_DIR = Path.home() / ".local" / "share" / "assay"


def _package_root() -> Path:
    """The repository this package is installed from (``pip install -e platform``).

    Another installation names its problems folder with ``ASSAY_ROOT``; the working
    directory never decides which problems are graded.
    """
    return Path(__file__).resolve().parents[3]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSAY_")

    # the engine
    root: Path = Field(default_factory=_package_root)
    sandbox: SandboxKind = "docker"
    base_image: str = "auto"
    runtime_image: str | None = None
    cache_dir: Path = Path.home() / ".cache" / "assay"
    baseline_max_age_s: int = 6 * 3600
    output_cap_bytes: int = 256 * 1024
    lock_dir: Path = Path(tempfile.gettempdir())
    wheelhouse: Path | None = None  # scripts/bootstrap.sh fills cache_dir/wheelhouse

    # the service; SQLite under data_dir unless a database URL is given
    data_dir: Path = DATA_DIR
    database_url: str = ""
    broker_url: str = "redis://127.0.0.1:6379/0"
    secret_key: SecretStr | None = None
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 14 * 24 * 3600
    upload_max_bytes: int = 20 * 1024 * 1024
    uploads_per_hour: int = 20
    worker_concurrency: int = 1
    heartbeat_s: float = 10.0
    stale_after_s: float = 90.0
    sweep_every_s: float = 30.0
    redispatch_after_s: float = 15 * 60
    max_deliveries: int = 3
    grading_time_limit_s: int = 50 * 60
    # where people reach the service (https://assay.example.com): the links Assay hands out
    # outside a page (git remotes, pull-request comments); the request's own address if unset
    public_url: str | None = None

    # a client of the service (assay submit, assay status)
    url: str = "http://127.0.0.1:8000"
    token: SecretStr | None = None

    @property
    def wheelhouse_dir(self) -> Path:
        return self.wheelhouse or self.cache_dir / "wheelhouse"

    @property
    def docker_dir(self) -> Path:
        return self.root / "platform" / "docker"

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'assay.db'}"

    def signing_key(self) -> str:
        """The JWT signing key: configured, or made once and kept in the data folder."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret.key"
        if not path.is_file():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        return path.read_text(encoding="utf-8").strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
