"""What Assay asks of GitHub and GitLab, each in its own API's words: a commit's files, a
commit status, and the one pull-request comment it keeps up to date.

The comment is found again by a hidden marker in its body (and, once known, by its author),
so that Assay edits its own comment in place instead of adding one per push.
"""

from dataclasses import dataclass
from typing import Any, Literal, Protocol
from urllib.parse import quote

from assay.server.pulls.client import Client, Refused
from assay.server.pulls.models import Provider, Repository

State = Literal["pending", "success", "failure", "error"]
DESCRIPTION_MAX = 140  # GitHub refuses longer status descriptions
PAGES_MAX = 20
PER_PAGE = 100
GITLAB_STATES = {"pending": "pending", "success": "success", "failure": "failed", "error": "failed"}
DEFAULT_API = {
    Provider.github: "https://api.github.com",
    Provider.gitlab: "https://gitlab.com/api/v4",
}


@dataclass(frozen=True)
class Status:
    state: State
    description: str
    url: str
    context: str


class Forge(Protocol):
    def archive(self, sha: str, *, limit: int) -> bytes: ...

    def set_status(self, sha: str, status: Status) -> None: ...

    def upsert_comment(self, pull: int, *, marker: str, body: str, author: str | None) -> str:
        """Create or edit the comment; returns its author's name."""
        ...


def _pages(client: Client, path: str) -> list[dict[str, object]]:
    """Every item of a paginated list (both providers send ``Link: <...>; rel="next"``)."""
    items: list[dict[str, object]] = []
    url: str | None = path
    params: dict[str, int] | None = {"per_page": PER_PAGE}
    for _ in range(PAGES_MAX):
        if url is None:
            break
        response = client.request("GET", url, params=params)
        items += [item for item in response.json() if isinstance(item, dict)]
        url, params = response.links.get("next", {}).get("url"), None
    return items


def _author(item: dict[str, object], key: str, field: str) -> str:
    person = item.get(key)
    return str(person.get(field, "")) if isinstance(person, dict) else ""


def _find(
    items: list[dict[str, object]], marker: str, author: str | None, key: str, field: str
) -> dict[str, object] | None:
    for item in items:
        if marker in str(item.get("body", "")) and author in (None, _author(item, key, field)):
            return item
    return None


def _edited(client: Client, method: str, path: str, body: str) -> bool:
    """Edit a comment; False when it is not ours to edit (a copy of the marker in someone
    else's comment, before Assay knew its own name): a comment of Assay's own is made then."""
    try:
        client.request(method, path, json={"body": body})
    except Refused as error:
        if error.status in (403, 404):
            return False
        raise
    return True


class GitHub:
    def __init__(self, client: Client, full_name: str) -> None:
        self.client = client
        self.repo = f"/repos/{full_name}"

    def archive(self, sha: str, *, limit: int) -> bytes:
        return self.client.download(f"{self.repo}/tarball/{sha}", limit=limit)

    def set_status(self, sha: str, status: Status) -> None:
        self.client.request(
            "POST",
            f"{self.repo}/statuses/{sha}",
            json={
                "state": status.state,
                "target_url": status.url,
                "description": status.description[:DESCRIPTION_MAX],
                "context": status.context,
            },
        )

    def upsert_comment(self, pull: int, *, marker: str, body: str, author: str | None) -> str:
        comments = _pages(self.client, f"{self.repo}/issues/{pull}/comments")
        mine = _find(comments, marker, author, "user", "login")
        if mine is not None and _edited(
            self.client, "PATCH", f"{self.repo}/issues/comments/{mine['id']}", body
        ):
            return _author(mine, "user", "login")
        made = self.client.request(
            "POST", f"{self.repo}/issues/{pull}/comments", json={"body": body}
        )
        return _author(made.json(), "user", "login")


class GitLab:
    def __init__(self, client: Client, full_name: str) -> None:
        self.client = client
        self.project = f"/projects/{quote(full_name, safe='')}"

    def archive(self, sha: str, *, limit: int) -> bytes:
        path = f"{self.project}/repository/archive.tar.gz"
        return self.client.download(path, limit=limit, params={"sha": sha})

    def set_status(self, sha: str, status: Status) -> None:
        self.client.request(
            "POST",
            f"{self.project}/statuses/{sha}",
            json={
                "state": GITLAB_STATES[status.state],
                "name": status.context,
                "target_url": status.url,
                "description": status.description[:DESCRIPTION_MAX],
            },
        )

    def upsert_comment(self, pull: int, *, marker: str, body: str, author: str | None) -> str:
        notes_path = f"{self.project}/merge_requests/{pull}/notes"
        mine = _find(_pages(self.client, notes_path), marker, author, "author", "username")
        if mine is not None and _edited(self.client, "PUT", f"{notes_path}/{mine['id']}", body):
            return _author(mine, "author", "username")
        made = self.client.request("POST", notes_path, json={"body": body})
        return _author(made.json(), "author", "username")


def client_for(repository: Repository, **options: Any) -> Client:
    if repository.provider is Provider.github:
        headers = {
            "Authorization": f"Bearer {repository.api_token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }
    else:
        headers = {"PRIVATE-TOKEN": repository.api_token}
    return Client(repository.api_url, headers, **options)


def forge_for(repository: Repository, client: Client) -> Forge:
    kind = GitHub if repository.provider is Provider.github else GitLab
    return kind(client, repository.full_name)
