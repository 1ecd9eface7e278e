from datetime import timedelta

import jwt
import pytest

from app import security

SECRET = "s" * 32


def test_password_hash_is_salted_and_verifies() -> None:
    first = security.hash_password("correct horse")
    second = security.hash_password("correct horse")

    assert first != second
    assert first.startswith("$argon2id$")
    assert security.verify_password("correct horse", first)
    assert not security.verify_password("wrong horse", first)


def test_verify_without_a_hash_fails() -> None:
    assert not security.verify_password("anything at all", None)
    assert not security.verify_password("anything at all", "not-a-hash")


def test_access_token_round_trip() -> None:
    token = security.create_access_token(7, secret=SECRET, lifetime=timedelta(minutes=5))

    claims = security.decode_access_token(token, secret=SECRET)

    assert claims.user_id == 7


@pytest.mark.parametrize(
    "token",
    [
        security.create_access_token(7, secret=SECRET, lifetime=timedelta(seconds=-1)),
        security.create_access_token(7, secret="o" * 32, lifetime=timedelta(minutes=5)),
        jwt.encode({"sub": "7", "type": "refresh", "exp": 4102444800}, SECRET, "HS256"),
        jwt.encode({"sub": "seven", "type": "access", "exp": 4102444800}, SECRET, "HS256"),
        jwt.encode({"sub": "7", "type": "access"}, SECRET, "HS256"),
        "not.a.token",
    ],
    ids=["expired", "other-secret", "refresh-type", "bad-subject", "no-expiry", "garbled"],
)
def test_invalid_access_tokens_are_refused(token: str) -> None:
    with pytest.raises(security.InvalidTokenError):
        security.decode_access_token(token, secret=SECRET)


def test_refresh_tokens_are_random_and_digested() -> None:
    token = security.new_refresh_token()

    assert token != security.new_refresh_token()
    assert len(security.digest_refresh_token(token)) == 64
    assert token not in security.digest_refresh_token(token)
