"""Webhook deliveries as GitHub and GitLab send them: who sent it, whether it is signed by
the repository's secret, which delivery it is, and what (if anything) it asks to grade.

Pure functions of headers and bodies: no database, no network.
"""

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assay.errors import InvalidInput
from assay.server.pulls.models import Provider

ZERO_SHA = "0" * 40
GITHUB_PULL_ACTIONS = frozenset({"opened", "reopened", "synchronize", "ready_for_review"})
GITLAB_MERGE_ACTIONS = frozenset({"open", "reopen"})


@dataclass(frozen=True)
class Grade:
    """A commit to grade: the head of a pull request (``pull`` is its number) or of a push to
    the default branch."""

    event: str
    sha: str
    ref: str
    pull: int | None = None


@dataclass(frozen=True)
class Ignored:
    reason: str


def payload(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"the payload is not JSON (send application/json): {error}") from error
    if not isinstance(parsed, dict):
        raise InvalidInput("the payload is not a JSON object")
    return parsed


def _get(data: Any, *path: str) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def repository_name(provider: Provider, data: Mapping[str, Any]) -> str:
    """The repository a payload is about: GitHub's ``full_name``, GitLab's project path."""
    if provider is Provider.github:
        name = _get(data, "repository", "full_name")
    else:
        name = _get(data, "project", "path_with_namespace")
    if not isinstance(name, str) or not name:
        raise InvalidInput("the payload names no repository")
    return name


def event_name(provider: Provider, headers: Mapping[str, str]) -> str:
    header = "x-github-event" if provider is Provider.github else "x-gitlab-event"
    name = headers.get(header, "")
    if not name:
        raise InvalidInput(f"no {header} header: is this a {provider} webhook?")
    return name


def signed(provider: Provider, secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """Whether the delivery carries the repository's secret: GitHub signs the body with it
    (``X-Hub-Signature-256``), GitLab sends it as is (``X-Gitlab-Token``)."""
    if provider is Provider.github:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, headers.get("x-hub-signature-256", ""))
    return hmac.compare_digest(secret.encode(), headers.get("x-gitlab-token", "").encode())


def delivery_id(provider: Provider, headers: Mapping[str, str], body: bytes) -> str:
    """What identifies a delivery, so that the same one twice is refused as a replay. A
    provider that names none gets the body's digest: the same body twice is a replay too."""
    names = (
        ("x-github-delivery",)
        if provider is Provider.github
        else ("idempotency-key", "x-gitlab-webhook-uuid", "x-gitlab-event-uuid")
    )
    for name in names:
        if value := headers.get(name, "").strip():
            return value[:100]
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _default_branch_push(
    ref: Any, sha: Any, default_branch: Any, *, deleted: bool
) -> Grade | Ignored:
    if not isinstance(ref, str) or not ref.startswith("refs/heads/"):
        return Ignored("not a branch push (a tag?)")
    if deleted or not isinstance(sha, str) or sha == ZERO_SHA:
        return Ignored("a branch was deleted")
    branch = ref.removeprefix("refs/heads/")
    if branch != default_branch:
        return Ignored(f"a push to {branch}: only the default branch and pull requests are graded")
    return Grade("push", sha, ref)


def github(event: str, data: Mapping[str, Any]) -> Grade | Ignored:
    """GitHub's ``pull_request`` and ``push`` events (``ping`` and the rest are ignored)."""
    if event == "pull_request":
        action = data.get("action")
        if action not in GITHUB_PULL_ACTIONS:
            return Ignored(f"pull request {action}: nothing new to grade")
        sha, ref = (
            _get(data, "pull_request", "head", "sha"),
            _get(data, "pull_request", "head", "ref"),
        )
        number = data.get("number") or _get(data, "pull_request", "number")
        if not isinstance(sha, str) or not isinstance(number, int):
            raise InvalidInput("the pull_request payload has no head sha or number")
        return Grade("pull_request", sha, f"refs/heads/{ref}", number)
    if event == "push":
        return _default_branch_push(
            data.get("ref"),
            data.get("after"),
            _get(data, "repository", "default_branch"),
            deleted=bool(data.get("deleted")),
        )
    return Ignored(f"{event} events are not graded")


def gitlab(event: str, data: Mapping[str, Any]) -> Grade | Ignored:
    """GitLab's ``Merge Request Hook`` and ``Push Hook``."""
    if event == "Merge Request Hook":
        attributes = data.get("object_attributes") or {}
        action = attributes.get("action")
        # an update counts only when it brought commits (GitLab then names the old head)
        if action not in GITLAB_MERGE_ACTIONS and not (
            action == "update" and "oldrev" in attributes
        ):
            return Ignored(f"merge request {action}: nothing new to grade")
        sha, number = _get(attributes, "last_commit", "id"), attributes.get("iid")
        if not isinstance(sha, str) or not isinstance(number, int):
            raise InvalidInput("the merge request payload has no last commit or iid")
        return Grade("pull_request", sha, f"refs/heads/{attributes.get('source_branch')}", number)
    if event == "Push Hook":
        return _default_branch_push(
            data.get("ref"),
            data.get("checkout_sha") or data.get("after"),
            _get(data, "project", "default_branch"),
            deleted=data.get("after") == ZERO_SHA,
        )
    return Ignored(f"{event} events are not graded")


def parse(provider: Provider, event: str, data: Mapping[str, Any]) -> Grade | Ignored:
    return github(event, data) if provider is Provider.github else gitlab(event, data)
