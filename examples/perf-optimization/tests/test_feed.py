"""GET /feed: order, limit, comments, errors, and the exact bytes of the old renderer."""

from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from tests.builders import follow, make_comment, make_post, make_user


def test_feed_lists_followed_posts_newest_first(client: TestClient, session: Session) -> None:
    reader, ana, ben, stranger = (make_user(session, n) for n in ("reader", "ana", "ben", "eve"))
    follow(session, reader, ana, ben)
    older = make_post(session, ana, minute=1)
    newer = make_post(session, ben, minute=5)
    tie_low = make_post(session, ana, minute=3)
    tie_high = make_post(session, ben, minute=3)
    make_post(session, stranger, minute=9)

    response = client.get("/feed", params={"user_id": reader.id})

    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert ids == [newer.id, tie_high.id, tie_low.id, older.id]


def test_feed_renders_the_documented_bytes(client: TestClient, session: Session) -> None:
    reader, ana = make_user(session, "reader"), make_user(session, "ana", "Ana Müller")
    follow(session, reader, ana)
    post = make_post(session, ana, minute=0, body='Café "東京" 🙂\nline')
    comment = make_comment(session, post, reader, minute=2, body="ok")

    response = client.get("/feed", params={"user_id": reader.id, "limit": 1})

    assert response.headers["content-type"] == "application/json"
    assert (
        response.content
        == (
            f'{{"user_id":{reader.id},"items":[{{"id":{post.id},'
            f'"author":{{"id":{ana.id},"username":"ana","display_name":"Ana Müller"}},'
            '"body":"Café \\"東京\\" 🙂\\nline","created_at":"2024-03-01T12:00:00Z",'
            f'"comment_count":1,"latest_comments":[{{"id":{comment.id},"post_id":{post.id},'
            f'"author":{{"id":{reader.id},"username":"reader","display_name":"Reader"}},'
            '"body":"ok","created_at":"2024-03-01T12:02:00Z"}]}]}'
        ).encode()
    )


def test_feed_shows_the_three_newest_comments_and_the_count(
    client: TestClient, session: Session
) -> None:
    reader, ana = make_user(session, "reader"), make_user(session, "ana")
    follow(session, reader, ana)
    post = make_post(session, ana, minute=0)
    comments = [make_comment(session, post, reader, minute=m) for m in (5, 1, 9, 3, 9)]

    item = client.get("/feed", params={"user_id": reader.id}).json()["items"][0]

    assert item["comment_count"] == 5
    newest = sorted(comments, key=lambda c: (c.created_at, c.id), reverse=True)[:3]
    assert [c["id"] for c in item["latest_comments"]] == [c.id for c in newest]


def test_feed_honours_limit(client: TestClient, session: Session) -> None:
    reader, ana = make_user(session, "reader"), make_user(session, "ana")
    follow(session, reader, ana)
    posts = [make_post(session, ana, minute=m) for m in range(30)]

    default = client.get("/feed", params={"user_id": reader.id}).json()["items"]
    three = client.get("/feed", params={"user_id": reader.id, "limit": 3}).json()["items"]

    assert len(default) == 20
    assert [item["id"] for item in three] == [post.id for post in reversed(posts[-3:])]


def test_feed_of_a_user_who_follows_nobody_is_empty(client: TestClient, session: Session) -> None:
    loner = make_user(session, "loner")

    response = client.get("/feed", params={"user_id": loner.id})

    assert response.status_code == 200
    assert response.json() == {"user_id": loner.id, "items": []}


def test_feed_of_an_unknown_user_is_404(client: TestClient) -> None:
    response = client.get("/feed", params={"user_id": 999})

    assert response.status_code == 404
    assert response.json() == {"detail": "User 999 not found"}


def test_feed_rejects_bad_parameters(client: TestClient) -> None:
    for params in ({}, {"user_id": "x"}, {"user_id": 1, "limit": 0}, {"user_id": 1, "limit": 51}):
        assert client.get("/feed", params=params).status_code == 422


def test_feed_costs_three_queries_whatever_its_size(client: TestClient, session: Session) -> None:
    reader = make_user(session, "reader")
    authors = [make_user(session, f"author{i}") for i in range(5)]
    follow(session, reader, *authors)
    for minute, author in enumerate(authors * 4):
        post = make_post(session, author, minute=minute)
        make_comment(session, post, reader, minute=minute + 1)
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    app_engine: Engine = client.app.state.session_factory.kw["bind"]  # type: ignore[attr-defined]
    client.get("/feed", params={"user_id": 999})  # connect first: the dialect queries once
    event.listen(app_engine, "before_cursor_execute", record)
    try:
        response = client.get("/feed", params={"user_id": reader.id})
    finally:
        event.remove(app_engine, "before_cursor_execute", record)

    assert len(response.json()["items"]) == 20
    assert len(statements) == 3, statements


def test_created_at_is_utc(client: TestClient, session: Session) -> None:
    reader, ana = make_user(session, "reader"), make_user(session, "ana")
    follow(session, reader, ana)
    make_post(session, ana, minute=0)

    created = client.get("/feed", params={"user_id": reader.id}).json()["items"][0]["created_at"]

    assert created.endswith("Z")
    assert datetime.fromisoformat(created).utcoffset().total_seconds() == 0  # type: ignore[union-attr]
