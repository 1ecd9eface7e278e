"""POST /posts, POST /posts/{id}/comments, PUT and DELETE /users/{id}/following/{id}."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Follow
from tests.builders import make_post, make_user


def test_create_post_answers_201_with_the_feed_shape(client: TestClient, session: Session) -> None:
    ana = make_user(session, "ana", "Ana Reyes")

    response = client.post("/posts", json={"author_id": ana.id, "body": "Hello"})

    assert response.status_code == 201
    post = response.json()
    assert list(post) == [
        "id",
        "author",
        "body",
        "created_at",
        "comment_count",
        "latest_comments",
    ]
    assert post["author"] == {"id": ana.id, "username": "ana", "display_name": "Ana Reyes"}
    assert (post["body"], post["comment_count"], post["latest_comments"]) == ("Hello", 0, [])


def test_create_post_rejects_unknown_authors_and_bad_bodies(client: TestClient) -> None:
    assert client.post("/posts", json={"author_id": 5, "body": "x"}).status_code == 404
    assert client.post("/posts", json={"author_id": 5, "body": ""}).status_code == 422
    assert client.post("/posts", json={"author_id": 5, "body": "x" * 1001}).status_code == 422


def test_create_comment_answers_201(client: TestClient, session: Session) -> None:
    ana, ben = make_user(session, "ana"), make_user(session, "ben")
    post = make_post(session, ana, minute=0)

    response = client.post(f"/posts/{post.id}/comments", json={"author_id": ben.id, "body": "Hi"})

    assert response.status_code == 201
    comment = response.json()
    assert list(comment) == ["id", "post_id", "author", "body", "created_at"]
    assert (comment["post_id"], comment["author"]["id"], comment["body"]) == (post.id, ben.id, "Hi")


def test_create_comment_rejects_unknown_posts_and_authors(
    client: TestClient, session: Session
) -> None:
    ana = make_user(session, "ana")
    post = make_post(session, ana, minute=0)

    no_post = client.post("/posts/999/comments", json={"author_id": ana.id, "body": "x"})
    no_author = client.post(f"/posts/{post.id}/comments", json={"author_id": 999, "body": "x"})

    assert no_post.json() == {"detail": "Post 999 not found"}
    assert no_author.json() == {"detail": "User 999 not found"}


def test_follow_and_unfollow_are_idempotent(client: TestClient, session: Session) -> None:
    ana, ben = make_user(session, "ana"), make_user(session, "ben")
    path = f"/users/{ana.id}/following/{ben.id}"

    def following() -> list[int]:
        return list(session.scalars(select(Follow.followee_id).where(Follow.follower_id == ana.id)))

    assert [client.put(path).status_code for _ in range(2)] == [204, 204]
    assert following() == [ben.id]
    assert [client.delete(path).status_code for _ in range(2)] == [204, 204]
    assert following() == []


def test_follow_rejects_unknown_users_and_yourself(client: TestClient, session: Session) -> None:
    ana = make_user(session, "ana")

    assert client.put(f"/users/{ana.id}/following/999").status_code == 404
    assert client.delete(f"/users/999/following/{ana.id}").status_code == 404
    assert client.put(f"/users/{ana.id}/following/{ana.id}").status_code == 422


def test_health_answers_ok(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
