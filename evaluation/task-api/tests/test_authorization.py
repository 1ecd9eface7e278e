"""Who may do what: outsiders get 404, members get 403 for what only owners may do."""

import pytest


def status_of(api, method: str, path: str, who, json=None) -> int:
    return api.client.request(method, path, json=json, headers=who.headers).status_code


@pytest.mark.assay(category="authorization", weight=3)
def test_other_users_projects_are_invisible(api, owner, project):
    """A non-member gets 404 for someone else's project, its members and tasks; never listed."""
    task = api.create_task(owner, project["id"])
    stranger = api.account()
    api.create_project(stranger)
    pid = project["id"]
    for path in (
        f"/projects/{pid}",
        f"/projects/{pid}/members",
        f"/projects/{pid}/tasks",
        f"/projects/{pid}/tasks/{task['id']}",
    ):
        response = api.client.get(path, headers=stranger.headers)
        assert response.status_code == 404, f"GET {path}: {response.status_code}"
        detail = response.json().get("detail")
        assert isinstance(detail, str) and detail, 'the body is {"detail": "<message>"}'
    listed = api.client.get("/projects", headers=stranger.headers).json()
    assert pid not in [item["id"] for item in listed["items"]]
    assert listed["total"] == 1, "total counts only the caller's projects"
    missing = api.client.get("/projects/2000000000", headers=stranger.headers)
    assert missing.status_code == 404, "an unknown project answers like a hidden one"


@pytest.mark.assay(category="authorization", weight=2)
def test_non_members_cannot_change_a_project_or_its_tasks(api, owner, project):
    """A non-member's writes on a project, its members or its tasks answer 404; nothing changes."""
    task = api.create_task(owner, project["id"])
    stranger = api.account()
    pid, tid = project["id"], task["id"]
    attempts = [
        ("PATCH", f"/projects/{pid}", {"name": "Hijacked"}),
        ("DELETE", f"/projects/{pid}", None),
        ("POST", f"/projects/{pid}/members", {"email": stranger.email}),
        ("DELETE", f"/projects/{pid}/members/{owner.id}", None),
        ("POST", f"/projects/{pid}/tasks", {"title": "Sneaky"}),
        ("PATCH", f"/projects/{pid}/tasks/{tid}", {"title": "Hijacked"}),
        ("DELETE", f"/projects/{pid}/tasks/{tid}", None),
    ]
    for method, path, body in attempts:
        assert status_of(api, method, path, stranger, body) == 404, f"{method} {path}"
    assert (
        api.client.get(f"/projects/{pid}", headers=owner.headers).json()["name"] == project["name"]
    )
    tasks = api.list_tasks(owner, pid)
    assert [(item["id"], item["title"]) for item in tasks["items"]] == [(tid, task["title"])]


@pytest.mark.assay(category="authorization", weight=3)
def test_members_get_403_for_owner_only_actions(api, owner, project):
    """A member who is not the owner gets 403 when editing, deleting or managing members."""
    member = api.account()
    newcomer = api.account()
    api.add_member(owner, project["id"], member)
    pid = project["id"]
    attempts = [
        ("PATCH", f"/projects/{pid}", {"name": "Mine now"}),
        ("DELETE", f"/projects/{pid}", None),
        ("POST", f"/projects/{pid}/members", {"email": newcomer.email}),
        ("DELETE", f"/projects/{pid}/members/{owner.id}", None),
        ("DELETE", f"/projects/{pid}/members/{member.id}", None),
    ]
    for method, path, body in attempts:
        response = api.client.request(method, path, json=body, headers=member.headers)
        assert response.status_code == 403, f"{method} {path}: {response.status_code}"
        detail = response.json().get("detail")
        assert isinstance(detail, str) and detail, 'the body is {"detail": "<message>"}'
    assert (
        api.client.get(f"/projects/{pid}", headers=member.headers).json()["name"] == project["name"]
    )
    members = api.client.get(f"/projects/{pid}/members", headers=owner.headers).json()
    assert sorted(item["user_id"] for item in members) == sorted([owner.id, member.id])


@pytest.mark.assay(category="authorization", weight=2)
def test_members_work_on_tasks(api, owner, project):
    """A member creates tasks, updates anyone's task and can be assigned."""
    member = api.account()
    api.add_member(owner, project["id"], member)
    mine = api.create_task(member, project["id"], assignee_id=owner.id)
    assert mine["created_by"] == member.id
    theirs = api.create_task(owner, project["id"])
    response = api.client.patch(
        f"/projects/{project['id']}/tasks/{theirs['id']}",
        json={"status": "in_progress", "assignee_id": member.id},
        headers=member.headers,
    )
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["assignee_id"]) == ("in_progress", member.id)
    assert api.task_ids(member, project["id"], assignee_id=member.id) == [theirs["id"]]


@pytest.mark.assay(category="authorization", weight=2)
def test_only_the_creator_or_the_owner_deletes_a_task(api, owner, project):
    """Another member's task answers 403 on DELETE; its creator and the owner may delete it."""
    first, second = api.account(), api.account()
    for member in (first, second):
        api.add_member(owner, project["id"], member)
    path = f"/projects/{project['id']}/tasks"
    by_owner = api.create_task(owner, project["id"])
    by_first = api.create_task(first, project["id"])
    by_second = api.create_task(second, project["id"])
    assert status_of(api, "DELETE", f"{path}/{by_owner['id']}", first) == 403
    assert status_of(api, "DELETE", f"{path}/{by_second['id']}", first) == 403
    assert status_of(api, "DELETE", f"{path}/{by_first['id']}", first) == 204
    assert status_of(api, "DELETE", f"{path}/{by_second['id']}", owner) == 204
    assert api.task_ids(owner, project["id"]) == [by_owner["id"]]


@pytest.mark.assay(category="authorization", weight=1, visible=False)
def test_task_is_reachable_only_through_its_project(api, owner, project):
    """A task requested under another project of the same user answers 404."""
    other = api.create_project(owner)
    task = api.create_task(owner, project["id"])
    wrong = f"/projects/{other['id']}/tasks/{task['id']}"
    assert status_of(api, "GET", wrong, owner) == 404
    assert status_of(api, "PATCH", wrong, owner, {"title": "Moved"}) == 404
    assert status_of(api, "DELETE", wrong, owner) == 404
    right = api.client.get(f"/projects/{project['id']}/tasks/{task['id']}", headers=owner.headers)
    assert right.json()["title"] == task["title"]


@pytest.mark.assay(category="authorization", weight=2)
def test_removed_member_loses_access_and_their_assignments(api, owner, project):
    """Removing a member answers 204; they get 404 after, their tasks lose the assignee."""
    member = api.account()
    api.add_member(owner, project["id"], member)
    pid = project["id"]
    task = api.create_task(owner, pid, assignee_id=member.id)
    assert status_of(api, "DELETE", f"/projects/{pid}/members/{owner.id}", owner) == 409, (
        "the owner cannot be removed"
    )
    assert status_of(api, "DELETE", f"/projects/{pid}/members/{member.id}", owner) == 204
    assert status_of(api, "GET", f"/projects/{pid}", member) == 404
    assert status_of(api, "DELETE", f"/projects/{pid}/members/{member.id}", owner) == 404
    current = api.client.get(f"/projects/{pid}/tasks/{task['id']}", headers=owner.headers).json()
    assert current["assignee_id"] is None
