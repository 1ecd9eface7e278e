"""Use cases of the user service; they flush, the request commits."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from common.errors import AuthenticationError, ConflictError, NotFoundError
from users import security
from users.models import User
from users.schemas import Credentials, UserCreate, UserUpdate


def register(session: Session, data: UserCreate) -> User:
    """Create an account; an email already taken is a conflict."""
    user = User(
        email=data.email.lower(),
        name=data.name,
        password_hash=security.hash_password(data.password),
    )
    session.add(user)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        raise ConflictError("an account with this email already exists") from error
    return user


def authenticate(session: Session, credentials: Credentials) -> User:
    """Return the user the credentials belong to; one message for every failure."""
    user = session.scalar(select(User).where(User.email == credentials.email.lower()))
    if not security.verify_password(credentials.password, user.password_hash if user else None):
        raise AuthenticationError("invalid email or password")
    assert user is not None  # noqa: S101  # verify_password fails when there is no user
    return user


def get_user(session: Session, user_id: int) -> User:
    """Load a user by id."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("user not found")
    return user


def update_profile(session: Session, user_id: int, data: UserUpdate) -> User:
    """Change the caller's profile."""
    user = get_user(session, user_id)
    user.name = data.name
    session.flush()
    return user
