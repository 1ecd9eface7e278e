"""Open-brief Book Review solutions, written as real candidates write them, with the rank a
careful reviewer gives each (1 is best) and the reason in one line.

They vary as real ones do: sync and async, PostgreSQL and SQLite, bare lists and envelopes,
200 and 201, path prefixes, settings in DATABASE_URL, POSTGRES_*, DB_*, a .env file or only
in the README, no /health, a Redis host that defaults to a LAN address, a missing or stale or
fragile cache, tests that assert nothing, and a shell. Each module holds one solution's files;
``write`` puts one in a folder to be graded. None of this is problem data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from tests.realworld.solutions import (
    async_prefix,
    db_parts,
    dotenv_flat,
    fragile_cache,
    lan_redis,
    layered_envelope,
    no_cache,
    readme_config,
    shell,
    sqlite_create_all,
    stale_cache,
    untested_asserts,
)


@dataclass(frozen=True)
class Solution:
    name: str
    rank: int  # a careful reviewer's: 1 is the best of the set
    why: str
    files: Callable[[], dict[str, str]]

    def write(self, folder: Path) -> Path:
        for relative, text in self.files().items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return folder


def _solution(module: ModuleType) -> Solution:
    name = module.__name__.rsplit(".", 1)[-1].replace("_", "-")
    return Solution(name, module.RANK, module.WHY, module.files)


CORPUS = sorted(
    (
        _solution(module)
        for module in (
            layered_envelope,
            async_prefix,
            db_parts,
            dotenv_flat,
            lan_redis,
            readme_config,
            stale_cache,
            fragile_cache,
            no_cache,
            untested_asserts,
            sqlite_create_all,
            shell,
        )
    ),
    key=lambda solution: solution.rank,
)
