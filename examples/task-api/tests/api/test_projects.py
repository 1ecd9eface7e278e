from fastapi.testclient import TestClient

from tests.builders import Account, Api


def test_create_and_list_projects(api: Api, owner: Account) -> None:
    ids = [api.project(owner, name=f"Project {n}") for n in range(3)]

    page = api.client.get("/projects", params={"limit": 2, "offset": 1}, headers=owner.headers)

    assert page.json()["total"] == 3
    assert [project["id"] for project in page.json()["items"]] == ids[1:]
    assert page.json()["items"][0]["owner_id"] == owner.id


def test_outsiders_get_404_and_members_get_403(api: Api, owner: Account, project_id: int) -> None:
    member = api.account("member@example.com")
    outsider = api.account("outsider@example.com")
    api.join(owner, project_id, member)
    path = f"/projects/{project_id}"

    assert api.client.get(path, headers=outsider.headers).status_code == 404
    assert api.client.get(path, headers=member.headers).status_code == 200
    assert api.client.patch(path, json={"name": "X"}, headers=member.headers).status_code == 403
    assert api.client.delete(path, headers=member.headers).status_code == 403
    assert api.client.patch(path, json={"name": "X"}, headers=outsider.headers).status_code == 404


def test_owner_updates_and_deletes(api: Api, owner: Account, project_id: int) -> None:
    path = f"/projects/{project_id}"

    renamed = api.client.patch(path, json={"description": " Now described "}, headers=owner.headers)
    nulled = api.client.patch(path, json={"name": None}, headers=owner.headers)
    deleted = api.client.delete(path, headers=owner.headers)

    assert (renamed.json()["name"], renamed.json()["description"]) == ("Launch", "Now described")
    assert nulled.status_code == 422
    assert deleted.status_code == 204
    assert api.client.get(path, headers=owner.headers).status_code == 404


def test_members_are_added_by_email_once(api: Api, owner: Account, project_id: int) -> None:
    member = api.account("member@example.com")
    path = f"/projects/{project_id}/members"

    added = api.client.post(path, json={"email": "MEMBER@example.com"}, headers=owner.headers)
    twice = api.client.post(path, json={"email": member.email}, headers=owner.headers)
    nobody = api.client.post(path, json={"email": "nobody@example.com"}, headers=owner.headers)
    listed = api.client.get(path, headers=member.headers).json()

    assert (added.status_code, added.json()["role"]) == (201, "member")
    assert twice.status_code == 409
    assert nobody.status_code == 404
    assert [(m["user_id"], m["role"]) for m in listed] == [
        (owner.id, "owner"),
        (member.id, "member"),
    ]


def test_removing_a_member_unassigns_their_tasks(api: Api, owner: Account, project_id: int) -> None:
    member = api.account("member@example.com")
    api.join(owner, project_id, member)
    task = api.task(owner, project_id, assignee_id=member.id)
    path = f"/projects/{project_id}/members"

    removed = api.client.delete(f"{path}/{member.id}", headers=owner.headers)
    again = api.client.delete(f"{path}/{member.id}", headers=owner.headers)
    owner_out = api.client.delete(f"{path}/{owner.id}", headers=owner.headers)
    current = api.client.get(f"/projects/{project_id}/tasks/{task['id']}", headers=owner.headers)

    assert (removed.status_code, again.status_code, owner_out.status_code) == (204, 404, 409)
    assert current.json()["assignee_id"] is None
    assert api.client.get(f"/projects/{project_id}", headers=member.headers).status_code == 404


def test_projects_require_authentication(client: TestClient) -> None:
    response = client.get("/projects")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
