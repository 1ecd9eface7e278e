from typing import Any

import pytest

from tests.builders import Account, Api


def test_create_task_applies_defaults(api: Api, owner: Account, project_id: int) -> None:
    task = api.task(owner, project_id, title="  Plan  ")

    assert (task["title"], task["status"], task["priority"]) == ("Plan", "todo", "medium")
    assert (task["due_date"], task["assignee_id"], task["created_by"]) == (None, None, owner.id)


def test_patch_changes_only_what_is_sent(api: Api, owner: Account, project_id: int) -> None:
    task = api.task(owner, project_id, due_date="2030-01-01", assignee_id=owner.id)
    path = f"/projects/{project_id}/tasks/{task['id']}"

    patched = api.client.patch(
        path, json={"due_date": None, "status": "done"}, headers=owner.headers
    )

    body = patched.json()
    assert (body["status"], body["due_date"], body["assignee_id"]) == ("done", None, owner.id)
    assert body["updated_at"] > task["updated_at"]


@pytest.mark.parametrize(
    "patch", [{"title": None}, {"status": "blocked"}, {"assignee_id": 999}, {"title": ""}]
)
def test_patch_rejects_invalid_changes(
    api: Api, owner: Account, project_id: int, patch: dict[str, Any]
) -> None:
    task = api.task(owner, project_id)
    path = f"/projects/{project_id}/tasks/{task['id']}"

    assert api.client.patch(path, json=patch, headers=owner.headers).status_code == 422


def test_assignee_must_be_a_member(api: Api, owner: Account, project_id: int) -> None:
    outsider = api.account("outsider@example.com")
    path = f"/projects/{project_id}/tasks"
    payload = {"title": "Do it", "assignee_id": outsider.id}

    response = api.client.post(path, json=payload, headers=owner.headers)

    assert response.status_code == 422
    assert response.json() == {"detail": "The assignee must be a member of the project"}


def test_filters_combine(api: Api, owner: Account, project_id: int) -> None:
    wanted = api.task(owner, project_id, status="done", priority="high", due_date="2030-05-05")
    api.task(owner, project_id, status="done", priority="low", due_date="2030-05-05")
    api.task(owner, project_id, status="todo", priority="high", assignee_id=owner.id)

    ids = api.task_ids(
        owner,
        project_id,
        status="done",
        priority="high",
        due_after="2030-05-05",
        due_before="2030-05-05",
    )

    assert ids == [wanted["id"]]
    assert len(api.task_ids(owner, project_id, assignee_id=owner.id)) == 1


def test_sorting_is_semantic_with_undated_last(api: Api, owner: Account, project_id: int) -> None:
    low = api.task(owner, project_id, priority="low", due_date="2030-01-02", title="b")
    high = api.task(owner, project_id, priority="high", title="a")
    medium = api.task(owner, project_id, priority="medium", due_date="2030-01-01", title="c")

    assert api.task_ids(owner, project_id, sort="priority") == [low["id"], medium["id"], high["id"]]
    assert api.task_ids(owner, project_id, sort="-due_date") == [
        low["id"],
        medium["id"],
        high["id"],
    ]
    assert api.task_ids(owner, project_id, sort="title") == [high["id"], low["id"], medium["id"]]
    assert api.task_ids(owner, project_id) == [medium["id"], high["id"], low["id"]]


def test_list_rejects_unknown_sort(api: Api, owner: Account, project_id: int) -> None:
    path = f"/projects/{project_id}/tasks"

    assert api.client.get(path, params={"sort": "id"}, headers=owner.headers).status_code == 422


def test_delete_is_for_the_creator_or_the_owner(api: Api, owner: Account, project_id: int) -> None:
    first = api.account("first@example.com")
    second = api.account("second@example.com")
    api.join(owner, project_id, first)
    api.join(owner, project_id, second)
    by_first = api.task(first, project_id)
    by_second = api.task(second, project_id)
    path = f"/projects/{project_id}/tasks"

    denied = api.client.delete(f"{path}/{by_second['id']}", headers=first.headers)
    own = api.client.delete(f"{path}/{by_first['id']}", headers=first.headers)
    by_owner = api.client.delete(f"{path}/{by_second['id']}", headers=owner.headers)
    gone = api.client.get(f"{path}/{by_second['id']}", headers=owner.headers)

    assert (denied.status_code, own.status_code, by_owner.status_code) == (403, 204, 204)
    assert gone.status_code == 404


def test_outsiders_cannot_reach_tasks(api: Api, owner: Account, project_id: int) -> None:
    outsider = api.account("outsider@example.com")
    task = api.task(owner, project_id)
    path = f"/projects/{project_id}/tasks"

    assert api.client.get(path, headers=outsider.headers).status_code == 404
    assert api.client.get(f"{path}/{task['id']}", headers=outsider.headers).status_code == 404
    assert api.client.post(path, json={"title": "x"}, headers=outsider.headers).status_code == 404
