"""Load for the perf-optimization service: mostly home feeds, for a spread of users.

Each simulated user reads the feeds of users sampled from the seeded data set (a few
hundred distinct feeds, some read far more often than others), and now and then
publishes a post or a comment and checks that it shows at once in a follower's feed:
a stale feed counts as a failed request. No think time: the run measures latency and
throughput at saturation.
"""

import os
import random
from functools import cache

import psycopg
from locust import HttpUser, constant, task

FALLBACK_USERS = list(range(1, 2001))


@cache
def audience() -> tuple[list[int], list[tuple[int, int]]]:
    """Readers to load feeds for, and (author, follower) pairs to write and check with."""
    url = os.environ.get("ASSAY_DATABASE_URL", "")
    if not url:
        return FALLBACK_USERS, []
    with psycopg.connect(url, connect_timeout=5) as connection:
        readers = [
            row[0]
            for row in connection.execute(
                "SELECT follower_id FROM follows WHERE follower_id <= 2000 "
                "AND follower_id % 5 = 0 GROUP BY follower_id ORDER BY follower_id"
            )
        ]
        pairs = [
            (row[0], row[1])
            for row in connection.execute(
                "SELECT followee_id, min(follower_id) FROM follows "
                "WHERE followee_id <= 2000 AND followee_id % 9 = 0 GROUP BY followee_id"
            )
        ]
    return readers or FALLBACK_USERS, pairs


class Reader(HttpUser):
    """Reads feeds; sometimes posts or comments, then checks the follower sees it."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.readers, self.pairs = audience()
        # A skewed pick: a few feeds are hot, most are read now and then.
        self.weights = [1.0 / (rank + 1) ** 0.6 for rank in range(len(self.readers))]

    def _reader(self) -> int:
        return random.choices(self.readers, self.weights)[0]

    @task(30)
    def feed(self) -> None:
        self.client.get(f"/feed?user_id={self._reader()}", name="/feed")

    @task(5)
    def short_feed(self) -> None:
        self.client.get(f"/feed?user_id={self._reader()}&limit=5", name="/feed?limit=5")

    @task(1)
    def post_then_read(self) -> None:
        if not self.pairs:
            return
        author, follower = random.choice(self.pairs)
        with self.client.post(
            "/posts",
            json={"author_id": author, "body": f"load test post {random.randrange(10**9)}"},
            name="/posts [POST]",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"expected 201, got {response.status_code}")
                return
            post_id = response.json()["id"]
        self._expect_in_feed(follower, post_id)

    @task(1)
    def comment_then_read(self) -> None:
        reader = self._reader()
        with self.client.get(
            f"/feed?user_id={reader}&limit=5", name="/feed?limit=5", catch_response=True
        ) as response:
            items = response.json().get("items", []) if response.status_code == 200 else []
            if not items:
                return
        post_id = items[0]["id"]
        with self.client.post(
            f"/posts/{post_id}/comments",
            json={"author_id": reader, "body": f"load test comment {random.randrange(10**9)}"},
            name="/posts/[id]/comments [POST]",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"expected 201, got {response.status_code}")
                return
            comment_id = response.json()["id"]
        with self.client.get(
            f"/feed?user_id={reader}&limit=5", name="/feed?limit=5", catch_response=True
        ) as response:
            for item in response.json().get("items", []):
                if item["id"] == post_id:
                    latest = [comment["id"] for comment in item["latest_comments"]]
                    if comment_id not in latest:
                        response.failure("stale feed: the new comment is missing")
                    return

    def _expect_in_feed(self, follower: int, post_id: int) -> None:
        with self.client.get(
            f"/feed?user_id={follower}", name="/feed", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"expected 200, got {response.status_code}")
                return
            ids = [item["id"] for item in response.json()["items"]]
            if post_id not in ids:
                response.failure("stale feed: the new post is missing")
