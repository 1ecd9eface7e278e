"""Accounts, projects, members and tasks: shapes, status codes, paging, filters, sorting."""

import re
from datetime import date, datetime, timedelta

import psycopg
import pytest

USER_FIELDS = {"id", "email", "name", "created_at"}
TOKEN_FIELDS = {"access_token", "refresh_token", "token_type", "expires_in"}
PROJECT_FIELDS = {"id", "name", "description", "owner_id", "created_at"}
MEMBER_FIELDS = {"user_id", "email", "name", "role", "added_at"}
TASK_FIELDS = {
    "id",
    "project_id",
    "title",
    "description",
    "status",
    "priority",
    "due_date",
    "assignee_id",
    "created_by",
    "created_at",
    "updated_at",
}
PAGE_FIELDS = {"items", "total", "limit", "offset"}
TABLES = ("users", "projects", "tasks")
# The transaction that created a table (its catalog row's xmin), or None when there is none.
MADE_IN = "SELECT (SELECT xmin::text::bigint FROM pg_class WHERE oid = to_regclass(%s))"


def shows(body: dict, fields: set[str]) -> None:
    """The body has the fields the statement shows; it may have more, which nothing forbids."""
    assert isinstance(body, dict), f"expected a JSON object, got {body!r}"
    absent = fields - set(body)
    assert not absent, f"missing {sorted(absent)} in {sorted(body)}"


def moment(value: object) -> datetime:
    assert isinstance(value, str), f"expected an ISO 8601 date-time string, got {value!r}"
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, f"the date-time should carry a time zone, got {value!r}"
    return parsed


def same_task(listed: dict, created: dict) -> bool:
    """Compare two task bodies, with timestamps as instants."""

    def normal(task: dict) -> dict:
        return {
            **task,
            "created_at": moment(task["created_at"]),
            "updated_at": moment(task["updated_at"]),
        }

    return normal(listed) == normal(created)


@pytest.mark.assay(category="functionality", weight=1)
def test_health_reports_ok(root):
    """GET /health answers 200 with {"status": "ok"}."""
    response = root.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.assay(category="functionality", weight=2)
def test_routes_are_at_the_statements_paths(prefix):
    """The routes are where the statement puts them (/auth/register, /projects...), under no
    prefix; the other tests call them wherever the service mounted them."""
    assert prefix == "", f"every route is under {prefix}"


@pytest.mark.assay(category="functionality", weight=1)
def test_openapi_documents_the_endpoints(root, prefix):
    """OpenAPI documents the auth, user, project, member and task routes; /docs is served."""
    spec = root.get("/openapi.json")
    assert spec.status_code == 200
    paths = {path.removeprefix(prefix): item for path, item in spec.json()["paths"].items()}
    for path in ("/auth/register", "/auth/login", "/auth/refresh", "/auth/logout"):
        assert "post" in paths.get(path, {}), f"POST {path} is documented"
    assert "get" in paths.get("/users/me", {}), "GET /users/me is documented"
    assert {"get", "post"} <= set(paths.get("/projects", {})), "GET and POST /projects"
    expected = {
        r"/projects/\{[^}]+\}": {"get", "patch", "delete"},
        r"/projects/\{[^}]+\}/members": {"get", "post"},
        r"/projects/\{[^}]+\}/members/\{[^}]+\}": {"delete"},
        r"/projects/\{[^}]+\}/tasks": {"get", "post"},
        r"/projects/\{[^}]+\}/tasks/\{[^}]+\}": {"get", "patch", "delete"},
    }
    for pattern, methods in expected.items():
        matches = [path for path in paths if re.fullmatch(pattern, path)]
        assert matches, f"a path like {pattern} is documented"
        assert methods <= set(paths[matches[0]]), f"{matches[0]} documents {sorted(methods)}"
    docs = root.get("/docs")
    assert docs.status_code == 200
    assert "text/html" in docs.headers["content-type"]


@pytest.mark.assay(category="functionality", weight=2)
def test_register_returns_201_with_the_user(api):
    """POST /auth/register answers 201 with id, email (lower-cased), name and created_at."""
    payload = api.register_payload()
    payload["email"] = payload["email"].replace("@example.com", "@Example.COM").capitalize()
    response = api.client.post("/auth/register", json=payload)
    assert response.status_code == 201, response.text
    user = response.json()
    assert set(user) == USER_FIELDS
    assert isinstance(user["id"], int)
    assert user["email"] == payload["email"].lower()
    assert user["name"] == payload["name"]
    moment(user["created_at"])


@pytest.mark.assay(category="functionality", weight=3)
def test_login_returns_a_token_pair_that_authenticates(api):
    """POST /auth/login returns a bearer token pair; the access token opens GET /users/me."""
    payload, user = api.register()
    tokens = api.login(payload["email"].upper(), payload["password"])
    shows(tokens, TOKEN_FIELDS)
    assert tokens["token_type"] == "bearer"
    assert isinstance(tokens["expires_in"], int) and tokens["expires_in"] > 0
    assert tokens["access_token"] != tokens["refresh_token"]
    me = api.client.get("/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200, me.text
    assert me.json() == user


@pytest.mark.assay(category="functionality", weight=2)
def test_refresh_returns_a_new_working_pair(api):
    """POST /auth/refresh trades a refresh token for a new pair whose access token works."""
    account = api.account()
    response = api.client.post("/auth/refresh", json={"refresh_token": account.refresh_token})
    assert response.status_code == 200, response.text
    tokens = response.json()
    shows(tokens, TOKEN_FIELDS)
    assert tokens["refresh_token"] != account.refresh_token, "a new refresh token is issued"
    me = api.client.get("/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200, me.text
    assert me.json()["id"] == account.id
    again = api.client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 200, "the new refresh token works in turn"


@pytest.mark.assay(category="functionality", weight=2)
def test_create_project_makes_the_caller_its_owner(api, owner):
    """POST /projects answers 201; the creator is owner_id and the only member, as owner."""
    payload = {"name": api.title(), "description": "Everything for the spring release"}
    response = api.client.post("/projects", json=payload, headers=owner.headers)
    assert response.status_code == 201, response.text
    project = response.json()
    shows(project, PROJECT_FIELDS)
    assert (project["name"], project["description"]) == (payload["name"], payload["description"])
    assert project["owner_id"] == owner.id
    moment(project["created_at"])
    fetched = api.client.get(f"/projects/{project['id']}", headers=owner.headers)
    assert fetched.status_code == 200
    assert fetched.json() == project
    members = api.client.get(f"/projects/{project['id']}/members", headers=owner.headers)
    assert members.status_code == 200, members.text
    [member] = members.json()
    shows(member, MEMBER_FIELDS)
    assert (member["user_id"], member["email"], member["role"]) == (owner.id, owner.email, "owner")
    plain = api.client.post("/projects", json={"name": api.title()}, headers=owner.headers)
    assert plain.status_code == 201 and plain.json()["description"] == ""


@pytest.mark.assay(category="functionality", weight=2)
def test_list_projects_pages_the_callers_projects(api, owner):
    """GET /projects lists the caller's projects by id ascending, with limit/offset/total."""
    ids = [api.create_project(owner)["id"] for _ in range(3)]
    page = api.client.get("/projects", headers=owner.headers).json()
    shows(page, PAGE_FIELDS)
    assert (page["total"], page["limit"], page["offset"]) == (3, 20, 0)
    assert [project["id"] for project in page["items"]] == ids
    second = api.client.get("/projects", params={"limit": 1, "offset": 1}, headers=owner.headers)
    assert second.status_code == 200
    assert [project["id"] for project in second.json()["items"]] == [ids[1]]
    beyond = api.client.get("/projects", params={"offset": 3}, headers=owner.headers).json()
    assert (beyond["items"], beyond["total"]) == ([], 3)


@pytest.mark.assay(category="functionality", weight=2)
def test_owner_updates_and_deletes_a_project(api, owner, project):
    """PATCH changes only the fields sent; DELETE answers 204 and the project is gone."""
    task = api.create_task(owner, project["id"])
    renamed = api.client.patch(
        f"/projects/{project['id']}", json={"name": "  Renamed  "}, headers=owner.headers
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Renamed"
    assert renamed.json()["description"] == project["description"], "unsent fields are kept"
    deleted = api.client.delete(f"/projects/{project['id']}", headers=owner.headers)
    assert deleted.status_code == 204, deleted.text
    assert api.client.get(f"/projects/{project['id']}", headers=owner.headers).status_code == 404
    gone = api.client.get(f"/projects/{project['id']}/tasks/{task['id']}", headers=owner.headers)
    assert gone.status_code == 404, "the project's tasks go with it"


@pytest.mark.assay(category="functionality", weight=2)
def test_added_member_sees_the_project(api, owner, project):
    """POST /projects/{id}/members by email answers 201; the member then lists the project."""
    member = api.account()
    response = api.client.post(
        f"/projects/{project['id']}/members",
        json={"email": member.email.upper()},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    added = response.json()
    shows(added, MEMBER_FIELDS)
    assert (added["user_id"], added["email"], added["name"], added["role"]) == (
        member.id,
        member.email,
        member.name,
        "member",
    )
    listed = api.client.get("/projects", headers=member.headers).json()
    assert [item["id"] for item in listed["items"]] == [project["id"]]
    members = api.client.get(f"/projects/{project['id']}/members", headers=member.headers).json()
    assert [(item["user_id"], item["role"]) for item in members] == [
        (owner.id, "owner"),
        (member.id, "member"),
    ], "members are listed by user id"


@pytest.mark.assay(category="functionality", weight=3)
def test_create_task_returns_201_with_defaults(api, owner, project):
    """POST /projects/{id}/tasks answers 201 with the task; status, priority etc. default."""
    response = api.client.post(
        f"/projects/{project['id']}/tasks",
        json={"title": "  Draft the plan "},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    task = response.json()
    shows(task, TASK_FIELDS)
    assert isinstance(task["id"], int)
    assert task["project_id"] == project["id"]
    assert task["title"] == "Draft the plan"
    assert (task["description"], task["status"], task["priority"]) == ("", "todo", "medium")
    assert (task["due_date"], task["assignee_id"], task["created_by"]) == (None, None, owner.id)
    assert moment(task["updated_at"]) >= moment(task["created_at"])
    full = api.create_task(
        owner,
        project["id"],
        description="With every field",
        status="in_progress",
        priority="high",
        due_date="2031-03-15",
        assignee_id=owner.id,
    )
    assert (full["status"], full["priority"], full["due_date"], full["assignee_id"]) == (
        "in_progress",
        "high",
        "2031-03-15",
        owner.id,
    )


@pytest.mark.assay(category="functionality", weight=3)
def test_get_patch_and_delete_a_task(api, owner, project):
    """GET returns a task; PATCH changes the fields sent (null clears); DELETE answers 204."""
    base = f"/projects/{project['id']}/tasks"
    task = api.create_task(owner, project["id"], due_date="2030-01-31", assignee_id=owner.id)
    fetched = api.client.get(f"{base}/{task['id']}", headers=owner.headers)
    assert fetched.status_code == 200
    assert same_task(fetched.json(), task)
    patched = api.client.patch(
        f"{base}/{task['id']}",
        json={"status": "done", "due_date": None, "assignee_id": None},
        headers=owner.headers,
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["status"], body["due_date"], body["assignee_id"]) == ("done", None, None)
    assert (body["title"], body["priority"]) == (task["title"], task["priority"]), "others kept"
    assert moment(body["updated_at"]) > moment(task["updated_at"]), "updated_at moves on"
    assert same_task(api.client.get(f"{base}/{task['id']}", headers=owner.headers).json(), body)
    deleted = api.client.delete(f"{base}/{task['id']}", headers=owner.headers)
    assert deleted.status_code == 204, deleted.text
    assert api.client.get(f"{base}/{task['id']}", headers=owner.headers).status_code == 404


@pytest.mark.assay(category="functionality", weight=2)
def test_list_tasks_pages_newest_first(api, owner, project):
    """GET /projects/{id}/tasks lists newest first by default, with limit/offset/total."""
    created = [api.create_task(owner, project["id"]) for _ in range(5)]
    page = api.list_tasks(owner, project["id"])
    shows(page, PAGE_FIELDS)
    assert (page["total"], page["limit"], page["offset"]) == (5, 20, 0)
    assert [task["id"] for task in page["items"]] == [task["id"] for task in reversed(created)]
    assert same_task(page["items"][-1], created[0])
    middle = api.list_tasks(owner, project["id"], limit=2, offset=1)
    assert (middle["total"], middle["limit"], middle["offset"]) == (5, 2, 1)
    assert [task["id"] for task in middle["items"]] == [created[3]["id"], created[2]["id"]]
    assert api.list_tasks(owner, project["id"], offset=5)["items"] == []


@pytest.mark.assay(category="functionality", weight=3)
def test_list_tasks_filters(api, owner, project):
    """status, priority, assignee_id, due_before and due_after filter; total follows them."""
    member = api.account()
    api.add_member(owner, project["id"], member)
    pid = project["id"]
    today = date(2030, 6, 15)
    specs = [
        ("todo", "high", member.id, today),
        ("done", "high", None, today + timedelta(days=3)),
        ("todo", "low", owner.id, today - timedelta(days=3)),
        ("in_progress", "medium", member.id, None),
        ("todo", "high", member.id, today + timedelta(days=10)),
    ]
    ids = [
        api.create_task(
            owner,
            pid,
            status=status,
            priority=priority,
            assignee_id=assignee,
            due_date=due.isoformat() if due else None,
        )["id"]
        for status, priority, assignee, due in specs
    ]

    def matching(**params: object) -> set[int]:
        page = api.list_tasks(owner, pid, **params)
        assert page["total"] == len(page["items"]), f"total counts the filtered tasks {params}"
        return {task["id"] for task in page["items"]}

    assert matching(status="todo") == {ids[0], ids[2], ids[4]}
    assert matching(priority="high") == {ids[0], ids[1], ids[4]}
    assert matching(assignee_id=member.id) == {ids[0], ids[3], ids[4]}
    assert matching(status="todo", priority="high", assignee_id=member.id) == {ids[0], ids[4]}
    assert matching(due_before=today.isoformat()) == {ids[0], ids[2]}, "due_before is inclusive"
    assert matching(due_after=today.isoformat()) == {ids[0], ids[1], ids[4]}, "inclusive"
    window = {"due_after": "2030-06-13", "due_before": "2030-06-20"}
    assert matching(**window) == {ids[0], ids[1]}


@pytest.mark.assay(category="functionality", weight=2)
def test_sort_by_priority_follows_urgency(api, owner, project):
    """sort=priority orders low < medium < high (not alphabetically); -priority reverses."""
    order = ["high", "low", "medium", "low", "high", "medium"]
    api.rng.shuffle(order)
    tasks = [(api.create_task(owner, project["id"], priority=p)["id"], p) for p in order]
    rank = {"low": 0, "medium": 1, "high": 2}
    ascending = [tid for tid, _ in sorted(tasks, key=lambda item: (rank[item[1]], item[0]))]
    descending = [tid for tid, _ in sorted(tasks, key=lambda item: (-rank[item[1]], item[0]))]
    assert api.task_ids(owner, project["id"], sort="priority") == ascending
    assert api.task_ids(owner, project["id"], sort="-priority") == descending


@pytest.mark.assay(category="functionality", weight=2)
def test_sort_by_due_date_title_and_creation(api, owner, project):
    """due_date sorts with undated tasks last either way; title and created_at sort too."""
    dues = ["2030-05-01", None, "2029-12-24", "2031-01-01", None]
    created = [
        api.create_task(owner, project["id"], due_date=due, title=f"{name} {api.tag(4)}")
        for due, name in zip(dues, ["delta", "alpha", "echo", "bravo", "charlie"], strict=True)
    ]
    ids = [task["id"] for task in created]
    assert api.task_ids(owner, project["id"], sort="due_date") == [
        ids[2],
        ids[0],
        ids[3],
        ids[1],
        ids[4],
    ]
    assert api.task_ids(owner, project["id"], sort="-due_date") == [
        ids[3],
        ids[0],
        ids[2],
        ids[1],
        ids[4],
    ]
    by_title = [task["id"] for task in sorted(created, key=lambda task: task["title"])]
    assert api.task_ids(owner, project["id"], sort="title") == by_title
    assert api.task_ids(owner, project["id"], sort="-title") == by_title[::-1]
    assert api.task_ids(owner, project["id"], sort="created_at") == ids
    assert api.task_ids(owner, project["id"], sort="-created_at") == ids[::-1]


@pytest.mark.assay(category="functionality", weight=1)
def test_schema_is_made_by_alembic(database_url):
    """alembic upgrade head made the tables, not create_all at startup beside an empty revision.

    PostgreSQL stamps each catalog row with the transaction that wrote it: tables made by the
    migrations were written after alembic_version was created and no later than the
    transaction that recorded the last revision.
    """
    with psycopg.connect(database_url, connect_timeout=5) as connection:
        made = {
            name: connection.execute(MADE_IN, (name,)).fetchone()[0]
            for name in ("alembic_version", *TABLES)
        }
        assert made["alembic_version"] is not None, "alembic_version table exists"
        stamps = connection.execute("SELECT xmin::text::bigint FROM alembic_version").fetchall()
    assert stamps, "alembic upgrade head recorded a revision"
    tables = [name for name in TABLES if made[name] is not None]
    assert tables, f"none of the tables {TABLES} exists"
    first, last = made["alembic_version"], max(stamps)[0]
    outside = [name for name in tables if not first <= made[name] <= last]
    assert not outside, f"{outside} were created outside the migrations, after the last revision"


@pytest.mark.assay(category="functionality", weight=1)
def test_tables_are_related_by_foreign_keys(database_url):
    """tasks references projects and users, and projects references users, by foreign keys."""
    with psycopg.connect(database_url, connect_timeout=5) as connection:
        rows = connection.execute(
            """
            SELECT DISTINCT c.conrelid::regclass::text, c.confrelid::regclass::text
            FROM pg_constraint c
            WHERE c.contype = 'f'
            """
        ).fetchall()
    pairs = {(source.split(".")[-1], target.split(".")[-1]) for source, target in rows}
    for pair in [("tasks", "projects"), ("tasks", "users"), ("projects", "users")]:
        assert pair in pairs, f"a foreign key from {pair[0]} to {pair[1]} exists"
