"""The contract: every answer is byte for byte what the slow service returns.

The data set check runs first, before any test writes: it makes sure the service still
serves the seeded data, so that the load test compares like with like.
"""

import pytest
from conftest import DEFAULT_LIMIT, first_difference, render

SEEDED_USERS = 2000
SEEDED_POSTS = 100_000
SEEDED_COMMENTS = 200_000
FINGERPRINTS = {
    "users": (
        "SELECT md5(string_agg(concat_ws('|', id, username, display_name, "
        "extract(epoch from created_at)::bigint), ',' ORDER BY id)) FROM users WHERE id <= 2000",
        "e6860e3747c547515fc694675164718f",
    ),
    "follows": (
        "SELECT md5(string_agg(concat_ws('|', follower_id, followee_id), ',' "
        "ORDER BY follower_id, followee_id)) FROM follows WHERE follower_id %% 7 = 0",
        "923da4a93d4463d24da77abed000fbfd",
    ),
    "posts": (
        "SELECT md5(string_agg(concat_ws('|', id, author_id, body, "
        "extract(epoch from created_at)::bigint), ',' ORDER BY id)) FROM posts "
        "WHERE id <= 100000 AND id %% 101 = 0",
        "3d460165674195fe7ed2cb4fbff89b93",
    ),
    "comments": (
        "SELECT md5(string_agg(concat_ws('|', id, post_id, author_id, body, "
        "extract(epoch from created_at)::bigint), ',' ORDER BY id)) FROM comments "
        "WHERE id <= 200000 AND id %% 211 = 0",
        "5d20ab0dab5ec1cf5861378f347d833a",
    ),
}
USER_FIELDS = ["id", "username", "display_name"]


@pytest.mark.assay(category="correctness", weight=2)
def test_the_seeded_data_set_is_intact(truth):
    """The database holds the seeded data set, unchanged (sizes and row fingerprints)."""
    counts = {
        "users": truth.value("SELECT count(*) FROM users WHERE id <= %s", SEEDED_USERS),
        "posts": truth.value("SELECT count(*) FROM posts WHERE id <= %s", SEEDED_POSTS),
        "comments": truth.value("SELECT count(*) FROM comments WHERE id <= %s", SEEDED_COMMENTS),
    }
    assert counts == {"users": SEEDED_USERS, "posts": SEEDED_POSTS, "comments": SEEDED_COMMENTS}
    changed = [name for name, (sql, digest) in FINGERPRINTS.items() if truth.value(sql) != digest]
    assert not changed, f"the seeded rows of {changed} differ from the seed"


@pytest.mark.assay(category="correctness", weight=1)
def test_health_reports_ok(client):
    """GET /health answers 200 with {"status": "ok"}."""
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.assay(category="correctness", weight=1)
def test_openapi_documents_the_endpoints(client):
    """OpenAPI still documents the feed, posts, comments and following routes."""
    response = client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "get" in paths.get("/feed", {}), "GET /feed is documented"
    assert "post" in paths.get("/posts", {}), "POST /posts is documented"
    comments = [path for path in paths if path.startswith("/posts/") and "comments" in path]
    assert comments, "POST /posts/{post_id}/comments is documented"
    following = [path for path in paths if "/following/" in path]
    assert following, "PUT and DELETE /users/{user_id}/following/{followee_id} are documented"
    assert {"put", "delete"} <= set(paths[following[0]])


@pytest.mark.assay(category="correctness", weight=5)
def test_feeds_match_the_database_byte_for_byte(chirp, truth, rng):
    """GET /feed?user_id= answers, for sampled users, exactly the bytes the slow version did."""
    users = rng.sample(truth.active_users(), 8)
    for user_id in users:
        chirp.assert_feed(user_id)


@pytest.mark.assay(category="correctness", weight=1)
def test_feed_is_json(chirp, truth, rng):
    """The feed answers with Content-Type application/json."""
    response = chirp.feed(rng.choice(truth.active_users()))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.assay(category="correctness", weight=2)
def test_feed_honours_limit(chirp, truth, rng):
    """limit=1, 7 and 50 return that many newest posts, identical to the slow version."""
    user_id = rng.choice(truth.active_users(minimum_follows=40))
    for limit in (1, 7, 50):
        expected = chirp.assert_feed(user_id, limit)
        assert len(expected["items"]) == limit


@pytest.mark.assay(category="correctness", weight=1)
def test_feed_of_a_user_who_follows_nobody_is_empty(chirp, truth):
    """A user who follows nobody gets {"user_id": id, "items": []}."""
    loner = truth.value(
        "SELECT id FROM users u WHERE id <= 2000 AND NOT EXISTS "
        "(SELECT 1 FROM follows f WHERE f.follower_id = u.id) ORDER BY id LIMIT 1"
    )
    assert loner is not None, "the seed has users who follow nobody"
    response = chirp.feed(loner)
    assert response.status_code == 200, response.text
    assert response.content == render({"user_id": loner, "items": []})


@pytest.mark.assay(category="correctness", weight=2)
def test_a_busy_post_shows_its_count_and_three_newest_comments(chirp, truth, rng):
    """A post with five comments shows comment_count 5 and the three newest, newest first."""
    author_id = rng.choice(truth.authors_with_followers(3))
    follower = rng.choice(truth.followers(author_id))
    post = chirp.create_post(author_id, chirp.text(rng))
    for _ in range(5):
        chirp.create_comment(post["id"], rng.randint(1, 2000), chirp.text(rng, 3))
    expected = chirp.assert_feed(follower, 5)
    item = next(item for item in expected["items"] if item["id"] == post["id"])
    assert item["comment_count"] == 5
    assert len(item["latest_comments"]) == 3


@pytest.mark.assay(category="correctness", weight=1)
def test_feed_of_an_unknown_user_is_404(chirp, truth):
    """GET /feed for a user id that does not exist answers 404 {"detail": "..."}."""
    missing = truth.value("SELECT max(id) FROM users") + 1000
    response = chirp.feed(missing)
    assert response.status_code == 404, response.text
    detail = response.json().get("detail")
    assert isinstance(detail, str) and detail, f"a non-empty detail, got {response.text}"


@pytest.mark.assay(category="correctness", weight=1)
def test_feed_rejects_bad_parameters(client):
    """A missing or non-integer user_id, and limit 0 or 51, answer 422."""
    for params in (
        {},
        {"user_id": "abc"},
        {"user_id": 1, "limit": 0},
        {"user_id": 1, "limit": 51},
        {"user_id": 1, "limit": "many"},
    ):
        response = client.get("/feed", params=params)
        assert response.status_code == 422, f"GET /feed with {params}: {response.status_code}"


@pytest.mark.assay(category="correctness", weight=2)
def test_create_post_answers_201_with_the_stored_post(chirp, truth, rng):
    """POST /posts answers 201 with the stored post, rendered exactly as the feed shows it."""
    body = chirp.text(rng, 12) + "\nsecond line"
    author_id = rng.randint(1, 2000)
    response = chirp.client.post("/posts", json={"author_id": author_id, "body": body})
    assert response.status_code == 201, response.text
    created = response.json()
    expected = truth.post(created["id"])
    assert expected["body"] == body and expected["author"]["id"] == author_id
    if response.content != render(expected):
        raise AssertionError(first_difference(response.content, render(expected)))


@pytest.mark.assay(category="correctness", weight=1)
def test_create_post_rejects_bad_input(client, truth):
    """POST /posts: an unknown author is 404; an empty or 1001-character body is 422."""
    missing = truth.value("SELECT max(id) FROM users") + 1000
    unknown = client.post("/posts", json={"author_id": missing, "body": "hello"})
    assert unknown.status_code == 404, unknown.text
    for payload in (
        {"author_id": 1, "body": ""},
        {"author_id": 1, "body": "x" * 1001},
        {"body": "no author"},
        {"author_id": "one", "body": "hello"},
    ):
        response = client.post("/posts", json=payload)
        assert response.status_code == 422, f"POST /posts {payload}: {response.status_code}"


@pytest.mark.assay(category="correctness", weight=2)
def test_create_comment_answers_201_with_the_stored_comment(chirp, truth, rng):
    """POST /posts/{id}/comments answers 201 with the stored comment, byte for byte."""
    post_id = rng.randint(1, SEEDED_POSTS)
    author_id = rng.randint(1, 2000)
    response = chirp.client.post(
        f"/posts/{post_id}/comments", json={"author_id": author_id, "body": chirp.text(rng)}
    )
    assert response.status_code == 201, response.text
    expected = truth.comment(response.json()["id"])
    assert expected["post_id"] == post_id
    if response.content != render(expected):
        raise AssertionError(first_difference(response.content, render(expected)))


@pytest.mark.assay(category="correctness", weight=1)
def test_create_comment_rejects_bad_input(client, truth):
    """Comments: an unknown post or author is 404; an empty body is 422."""
    missing_post = truth.value("SELECT max(id) FROM posts") + 1000
    missing_user = truth.value("SELECT max(id) FROM users") + 1000
    no_post = client.post(f"/posts/{missing_post}/comments", json={"author_id": 1, "body": "hi"})
    assert no_post.status_code == 404, no_post.text
    no_author = client.post("/posts/1/comments", json={"author_id": missing_user, "body": "hi"})
    assert no_author.status_code == 404, no_author.text
    empty = client.post("/posts/1/comments", json={"author_id": 1, "body": ""})
    assert empty.status_code == 422, empty.text


@pytest.mark.assay(category="correctness", weight=1)
def test_follow_and_unfollow_are_idempotent(chirp, truth, rng):
    """PUT and DELETE /users/{id}/following/{other} answer 204, twice, and change the rows."""
    user_id = rng.choice(truth.active_users())
    followed = set(truth.followees(user_id))
    other = rng.choice([c for c in range(1, 2001) if c not in followed and c != user_id])
    for _ in range(2):
        chirp.follow(user_id, other)
        assert other in truth.followees(user_id)
    for _ in range(2):
        chirp.unfollow(user_id, other)
        assert other not in truth.followees(user_id)


@pytest.mark.assay(category="correctness", weight=1)
def test_follow_rejects_unknown_users_and_yourself(client, truth):
    """Following an unknown user (either side) is 404; following yourself is 422."""
    missing = truth.value("SELECT max(id) FROM users") + 1000
    assert client.put(f"/users/{missing}/following/1").status_code == 404
    assert client.put(f"/users/1/following/{missing}").status_code == 404
    assert client.delete(f"/users/1/following/{missing}").status_code == 404
    assert client.put("/users/5/following/5").status_code == 422


@pytest.mark.assay(category="correctness", weight=1, visible=False)
def test_default_limit_is_twenty(chirp, truth, rng):
    """Without limit, the feed holds the 20 newest posts."""
    user_id = rng.choice(truth.active_users(minimum_follows=40))
    expected = chirp.assert_feed(user_id)
    assert len(expected["items"]) == DEFAULT_LIMIT
