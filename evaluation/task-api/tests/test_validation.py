"""Invalid input answers 422 (409 for a taken email, 401 for bad credentials); nothing is stored."""

import pytest


def post_statuses(api, path, payloads, headers=None):
    return [
        api.client.post(path, json=payload, headers=headers).status_code for payload in payloads
    ]


@pytest.mark.assay(category="validation", weight=2)
def test_register_rejects_invalid_input(api):
    """Invalid email, a password outside 8..128 characters, or a missing/empty name: 422."""
    payloads = [
        api.register_payload(email="not-an-email"),
        api.register_payload(email="two@@example.com"),
        api.register_payload(password="short12"),
        api.register_payload(password="p" * 129),
        api.register_payload(name=""),
        api.register_payload(name="   "),
        api.register_payload(name="n" * 101),
        {key: value for key, value in api.register_payload().items() if key != "name"},
        {key: value for key, value in api.register_payload().items() if key != "password"},
        {},
    ]
    assert post_statuses(api, "/auth/register", payloads) == [422] * len(payloads)
    bounds = api.register_payload(password="p" * 8, name="n" * 100)
    assert api.client.post("/auth/register", json=bounds).status_code == 201
    longest = api.register_payload(password="p" * 128)
    assert api.client.post("/auth/register", json=longest).status_code == 201


@pytest.mark.assay(category="validation", weight=2)
def test_register_refuses_a_taken_email_in_any_case(api):
    """Registering an email again, in any letter case, answers 409 with a detail."""
    payload, _ = api.register()
    again = api.client.post("/auth/register", json=api.register_payload(email=payload["email"]))
    shouted = api.client.post(
        "/auth/register", json=api.register_payload(email=payload["email"].upper())
    )
    for response in (again, shouted):
        assert response.status_code == 409, response.text
        detail = response.json().get("detail")
        assert isinstance(detail, str) and detail, 'the body is {"detail": "<message>"}'


@pytest.mark.assay(category="validation", weight=2)
def test_login_with_wrong_credentials_answers_401(api):
    """A wrong password and an unknown email both answer 401 with the same detail."""
    payload, _ = api.register()
    wrong = api.client.post(
        "/auth/login", json={"email": payload["email"], "password": payload["password"] + "x"}
    )
    unknown = api.client.post(
        "/auth/login", json={"email": api.email(), "password": payload["password"]}
    )
    assert (wrong.status_code, unknown.status_code) == (401, 401)
    assert wrong.json() == unknown.json(), "the answer does not tell which emails exist"
    assert "access_token" not in wrong.text


@pytest.mark.assay(category="validation", weight=1)
def test_project_input_is_validated(api, owner):
    """Project name 1..100 characters after trimming, description at most 1000: else 422."""
    payloads = [
        {"name": ""},
        {"name": "   "},
        {"name": "n" * 101},
        {"description": "no name"},
        {"name": "Fine", "description": "d" * 1001},
        {"name": 42},
    ]
    assert post_statuses(api, "/projects", payloads, owner.headers) == [422] * len(payloads)
    page = api.client.get("/projects", headers=owner.headers).json()
    assert page["total"] == 0, "rejected projects are not stored"
    ok = {"name": "n" * 100, "description": "d" * 1000}
    assert api.client.post("/projects", json=ok, headers=owner.headers).status_code == 201


@pytest.mark.assay(category="validation", weight=2)
def test_task_input_is_validated(api, owner, project):
    """Bad title, status, priority or due_date answer 422 on create and update; none stored."""
    path = f"/projects/{project['id']}/tasks"
    invalid = [
        {},
        {"title": ""},
        {"title": "   "},
        {"title": "t" * 201},
        {"title": "Fine", "description": "d" * 5001},
        {"title": "Fine", "status": "blocked"},
        {"title": "Fine", "status": "DONE"},
        {"title": "Fine", "priority": "urgent"},
        {"title": "Fine", "due_date": "tomorrow"},
        {"title": "Fine", "due_date": "2030-02-30"},
        {"title": "Fine", "assignee_id": "someone"},
    ]
    assert post_statuses(api, path, invalid, owner.headers) == [422] * len(invalid)
    assert api.list_tasks(owner, project["id"])["total"] == 0, "rejected tasks are not stored"
    task = api.create_task(owner, project["id"], title="t" * 200, description="d" * 5000)
    patches = [{"title": None}, {"status": None}, {"priority": "urgent"}, {"title": ""}]
    statuses = [
        api.client.patch(f"{path}/{task['id']}", json=patch, headers=owner.headers).status_code
        for patch in patches
    ]
    assert statuses == [422] * len(patches)
    current = api.client.get(f"{path}/{task['id']}", headers=owner.headers).json()
    assert (current["title"], current["status"]) == (task["title"], task["status"])


@pytest.mark.assay(category="validation", weight=2)
def test_assignee_must_be_a_project_member(api, owner, project):
    """assignee_id naming a user who is not a member (or no user) answers 422."""
    outsider = api.account()
    path = f"/projects/{project['id']}/tasks"
    for assignee in (outsider.id, 2_000_000_000):
        response = api.client.post(
            path, json={"title": api.title(), "assignee_id": assignee}, headers=owner.headers
        )
        assert response.status_code == 422, response.text
    task = api.create_task(owner, project["id"])
    patched = api.client.patch(
        f"{path}/{task['id']}", json={"assignee_id": outsider.id}, headers=owner.headers
    )
    assert patched.status_code == 422, patched.text
    assert api.list_tasks(owner, project["id"])["total"] == 1


@pytest.mark.assay(category="validation", weight=1)
def test_list_parameters_are_validated(api, owner, project):
    """Bad limit, offset, sort, status, priority or dates on the lists answer 422."""
    tasks_path = f"/projects/{project['id']}/tasks"
    paging = [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "many"}]
    for path in ("/projects", tasks_path):
        statuses = [
            api.client.get(path, params=params, headers=owner.headers).status_code
            for params in paging
        ]
        assert statuses == [422] * len(paging), path
        assert api.client.get(path, params={"limit": 100}, headers=owner.headers).status_code == 200
    filters = [
        {"sort": "bogus"},
        {"sort": "password"},
        {"sort": "+priority"},
        {"status": "blocked"},
        {"priority": "urgent"},
        {"due_before": "soon"},
        {"assignee_id": "me"},
    ]
    statuses = [
        api.client.get(tasks_path, params=params, headers=owner.headers).status_code
        for params in filters
    ]
    assert statuses == [422] * len(filters)


@pytest.mark.assay(category="validation", weight=1, visible=False)
def test_non_integer_ids_answer_422(api, owner, project):
    """A project or task id in the path that is not an integer answers 422."""
    assert api.client.get("/projects/abc", headers=owner.headers).status_code == 422
    path = f"/projects/{project['id']}/tasks/1.5"
    assert api.client.get(path, headers=owner.headers).status_code == 422
