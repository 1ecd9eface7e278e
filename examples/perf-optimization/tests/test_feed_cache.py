"""The feed cache seen through the API: filled by reads, dropped by every kind of write."""

import redis
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.config import Settings
from app.main import create_app
from app.models import User
from tests.builders import follow, make_post, make_user


def feed_ids(client: TestClient, user: User, limit: int = 20) -> list[int]:
    response = client.get("/feed", params={"user_id": user.id, "limit": limit})
    return [item["id"] for item in response.json()["items"]]


def test_a_miss_reads_the_database_and_fills_redis(
    client: TestClient, session: Session, redis_client: redis.Redis
) -> None:
    reader, ana = make_user(session, "reader"), make_user(session, "ana")
    follow(session, reader, ana)
    post = make_post(session, ana, minute=0)

    assert feed_ids(client, reader) == [post.id]

    keys = sorted(key.decode() for key in redis_client.keys("feed:*"))
    assert keys == [f"feed:{reader.id}:v0:limit=20"]
    assert 0 < redis_client.ttl(keys[0]) <= 300


def test_a_hit_is_served_without_the_database(
    client: TestClient, session: Session, redis_client: redis.Redis
) -> None:
    reader, ana = make_user(session, "reader"), make_user(session, "ana")
    follow(session, reader, ana)
    make_post(session, ana, minute=0)
    first = client.get("/feed", params={"user_id": reader.id}).content
    redis_client.set(f"feed:{reader.id}:v0:limit=20", b'{"cached":true}')

    second = client.get("/feed", params={"user_id": reader.id})

    assert first != second.content
    assert second.json() == {"cached": True}


def test_a_new_post_refreshes_every_followers_feed(client: TestClient, session: Session) -> None:
    ana, ben, cy = (make_user(session, name) for name in ("ana", "ben", "cy"))
    follow(session, ben, ana)
    follow(session, cy, ana)
    old = make_post(session, ana, minute=0)
    assert feed_ids(client, ben) == feed_ids(client, cy, limit=5) == [old.id]

    new = client.post("/posts", json={"author_id": ana.id, "body": "news"}).json()

    assert feed_ids(client, ben) == feed_ids(client, cy, limit=5) == [new["id"], old.id]


def test_a_new_comment_refreshes_the_feeds_showing_the_post(
    client: TestClient, session: Session
) -> None:
    ana, ben = make_user(session, "ana"), make_user(session, "ben")
    follow(session, ben, ana)
    post = make_post(session, ana, minute=0)
    client.get("/feed", params={"user_id": ben.id})

    comment = client.post(
        f"/posts/{post.id}/comments", json={"author_id": ben.id, "body": "first"}
    ).json()

    item = client.get("/feed", params={"user_id": ben.id}).json()["items"][0]
    assert item["comment_count"] == 1
    assert item["latest_comments"][0]["id"] == comment["id"]


def test_following_and_unfollowing_refresh_the_feed(client: TestClient, session: Session) -> None:
    ana, ben = make_user(session, "ana"), make_user(session, "ben")
    post = make_post(session, ana, minute=0)
    assert feed_ids(client, ben) == []

    client.put(f"/users/{ben.id}/following/{ana.id}")
    assert feed_ids(client, ben) == [post.id]

    client.delete(f"/users/{ben.id}/following/{ana.id}")
    assert feed_ids(client, ben) == []


def test_a_failed_write_does_not_invalidate(
    client: TestClient, session: Session, redis_client: redis.Redis
) -> None:
    reader, ana = make_user(session, "reader"), make_user(session, "ana")
    follow(session, reader, ana)
    client.get("/feed", params={"user_id": reader.id})

    client.put(f"/users/{reader.id}/following/{reader.id}")

    assert redis_client.get(f"feed:{reader.id}:version") is None


def test_the_service_works_without_redis(session: Session, settings: Settings) -> None:
    reader, ana = make_user(session, "reader"), make_user(session, "ana")
    follow(session, reader, ana)
    post = make_post(session, ana, minute=0)
    offline = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})

    with TestClient(create_app(offline)) as client:
        assert feed_ids(client, reader) == [post.id]
        created = client.post("/posts", json={"author_id": ana.id, "body": "still works"})
        assert created.status_code == 201
        assert feed_ids(client, reader)[0] == created.json()["id"]
