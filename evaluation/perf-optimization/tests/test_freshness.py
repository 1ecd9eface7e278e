"""Writes show up in the very next read, however the feed is cached.

Each test reads the feeds it will check twice first, so that a cache, if there is one,
holds them; then it writes, and the next read must be exactly the new ground truth.
"""

import pytest


def warm(chirp, user_ids, limit=None):
    for user_id in user_ids:
        for _ in range(2):
            chirp.feed(user_id, limit)


@pytest.mark.assay(category="freshness", weight=3)
def test_a_new_post_tops_every_followers_feed(chirp, truth, rng):
    """After POST /posts, the next GET /feed of each of the author's followers starts with it."""
    author_id = rng.choice(truth.authors_with_followers(3))
    followers = rng.sample(truth.followers(author_id), 3)
    warm(chirp, followers)
    post = chirp.create_post(author_id, chirp.text(rng))
    for follower in followers:
        expected = chirp.assert_feed(follower)
        assert expected["items"][0]["id"] == post["id"]


@pytest.mark.assay(category="freshness", weight=3)
def test_a_new_comment_updates_the_count_and_latest_comments(chirp, truth, rng):
    """After a comment on a post in a cached feed, the next GET shows the new count and comment."""
    user_id = rng.choice(truth.active_users())
    warm(chirp, [user_id])
    before = truth.feed(user_id)
    post = before["items"][rng.randrange(len(before["items"]))]
    comment = chirp.create_comment(post["id"], rng.randint(1, 2000), chirp.text(rng, 4))
    expected = chirp.assert_feed(user_id)
    item = next(item for item in expected["items"] if item["id"] == post["id"])
    assert item["comment_count"] == post["comment_count"] + 1
    assert item["latest_comments"][0]["id"] == comment["id"]


@pytest.mark.assay(category="freshness", weight=2)
def test_following_someone_adds_their_posts(chirp, truth, rng):
    """After PUT /users/{id}/following/{other}, the next GET /feed includes the other's posts."""
    user_id = rng.choice(truth.active_users())
    followed = set(truth.followees(user_id))
    other = rng.choice([c for c in range(1, 2001) if c not in followed and c != user_id])
    post = chirp.create_post(other, chirp.text(rng))
    warm(chirp, [user_id])
    chirp.follow(user_id, other)
    expected = chirp.assert_feed(user_id)
    assert expected["items"][0]["id"] == post["id"]


@pytest.mark.assay(category="freshness", weight=2)
def test_unfollowing_someone_removes_their_posts(chirp, truth, rng):
    """After DELETE /users/{id}/following/{other}, the next GET /feed has none of their posts."""
    user_id = rng.choice(truth.active_users())
    warm(chirp, [user_id])
    top_author = truth.feed(user_id)["items"][0]["author"]["id"]
    chirp.unfollow(user_id, top_author)
    expected = chirp.assert_feed(user_id)
    assert top_author not in [item["author"]["id"] for item in expected["items"]]


@pytest.mark.assay(category="freshness", weight=1, visible=False)
def test_a_write_refreshes_every_cached_limit(chirp, truth, rng):
    """After a new post, the follower's feed is fresh for every limit that was cached."""
    author_id = rng.choice(truth.authors_with_followers(3))
    follower = rng.choice(truth.followers(author_id))
    limits = [None, 5, 50]
    for limit in limits:
        warm(chirp, [follower], limit)
    chirp.create_post(author_id, chirp.text(rng))
    for limit in limits:
        chirp.assert_feed(follower, limit)


@pytest.mark.assay(category="freshness", weight=1, visible=False)
def test_a_comment_refreshes_every_feed_showing_the_post(chirp, truth, rng):
    """A comment on a new post shows in the next GET /feed of each of the author's followers."""
    author_id = rng.choice(truth.authors_with_followers(4))
    followers = rng.sample(truth.followers(author_id), 4)
    post = chirp.create_post(author_id, chirp.text(rng))
    warm(chirp, followers)
    chirp.create_comment(post["id"], rng.randint(1, 2000), chirp.text(rng, 2))
    for follower in followers:
        expected = chirp.assert_feed(follower)
        assert expected["items"][0]["comment_count"] == 1
