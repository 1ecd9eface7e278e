"""Errors the services raise; one handler in `app.main` turns them into responses.

AppError (500)
 +-- NotFoundError (404)
      +-- BookNotFoundError
"""


class AppError(Exception):
    """Base of every error the API reports as `{"detail": message}`."""

    status_code = 500


class NotFoundError(AppError):
    """The request names something that does not exist."""

    status_code = 404


class BookNotFoundError(NotFoundError):
    """No book has the requested id."""

    def __init__(self, book_id: int) -> None:
        super().__init__(f"Book {book_id} not found")
        self.book_id = book_id
