"""Webhook payloads in the shapes GitHub and GitLab document (the fields Assay reads, and
enough of the rest to look like the real thing), and their signed deliveries."""

import hashlib
import hmac
import json
import uuid
from typing import Any

SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
OLD_SHA = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"


def github_pull_request(
    repo: str = "acme/app", *, action: str = "opened", sha: str = SHA, number: int = 7
) -> dict[str, Any]:
    owner, name = repo.split("/")
    repository = {
        "id": 1296269,
        "name": name,
        "full_name": repo,
        "private": True,
        "owner": {"login": owner, "type": "Organization"},
        "html_url": f"https://github.com/{repo}",
        "default_branch": "main",
    }
    return {
        "action": action,
        "number": number,
        "pull_request": {
            "url": f"https://api.github.com/repos/{repo}/pulls/{number}",
            "id": 1,
            "number": number,
            "state": "open",
            "title": "Book reviews service",
            "user": {"login": "grace"},
            "draft": False,
            "head": {"label": "grace:solution", "ref": "solution", "sha": sha, "repo": repository},
            "base": {"label": f"{owner}:main", "ref": "main", "sha": OLD_SHA, "repo": repository},
        },
        "repository": repository,
        "sender": {"login": "grace", "type": "User"},
    }


def github_push(
    repo: str = "acme/app", *, ref: str = "refs/heads/main", sha: str = SHA
) -> dict[str, Any]:
    return {
        "ref": ref,
        "before": OLD_SHA,
        "after": sha,
        "created": False,
        "deleted": sha == "0" * 40,
        "forced": False,
        "commits": [{"id": sha, "message": "Add reviews", "timestamp": "2026-11-30T10:00:00Z"}],
        "head_commit": {"id": sha, "message": "Add reviews"},
        "repository": {"full_name": repo, "name": repo.split("/")[1], "default_branch": "main"},
        "pusher": {"name": "grace"},
        "sender": {"login": "grace"},
    }


def gitlab_merge_request(
    path: str = "acme/app", *, action: str = "open", sha: str = SHA, iid: int = 3, **extra: Any
) -> dict[str, Any]:
    return {
        "object_kind": "merge_request",
        "event_type": "merge_request",
        "user": {"username": "grace"},
        "project": {
            "id": 15,
            "name": path.rsplit("/", maxsplit=1)[-1],
            "path_with_namespace": path,
            "default_branch": "main",
            "web_url": f"https://gitlab.example.com/{path}",
        },
        "object_attributes": {
            "id": 99,
            "iid": iid,
            "action": action,
            "state": "opened",
            "source_branch": "solution",
            "target_branch": "main",
            "last_commit": {"id": sha, "message": "Add reviews"},
            "url": f"https://gitlab.example.com/{path}/-/merge_requests/{iid}",
            **extra,
        },
    }


def gitlab_push(path: str = "acme/app", *, ref: str = "refs/heads/main", sha: str = SHA) -> dict:
    return {
        "object_kind": "push",
        "event_name": "push",
        "before": OLD_SHA,
        "after": sha,
        "ref": ref,
        "checkout_sha": None if sha == "0" * 40 else sha,
        "project_id": 15,
        "project": {"id": 15, "path_with_namespace": path, "default_branch": "main"},
    }


def github_delivery(
    payload: dict[str, Any], secret: str, *, event: str = "pull_request", delivery: str = ""
) -> tuple[bytes, dict[str, str]]:
    """The body and headers GitHub sends, signed with ``secret``."""
    body = json.dumps(payload).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/044aadd",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-GitHub-Hook-ID": "292430182",
        "X-Hub-Signature-256": f"sha256={signature}",
    }


def gitlab_delivery(
    payload: dict[str, Any], token: str, *, event: str = "Merge Request Hook"
) -> tuple[bytes, dict[str, str]]:
    return json.dumps(payload).encode(), {
        "Content-Type": "application/json",
        "X-Gitlab-Event": event,
        "X-Gitlab-Token": token,
        "X-Gitlab-Instance": "https://gitlab.example.com",
        "X-Gitlab-Webhook-UUID": str(uuid.uuid4()),
        "X-Gitlab-Event-UUID": str(uuid.uuid4()),
        "Idempotency-Key": str(uuid.uuid4()),
    }
