"""The one error tree of Assay; every error carries the HTTP status it maps to.

AssayError
 ├── NotFound (404)            also what a user gets for what is not theirs to see
 │    └── ProblemNotFound
 ├── InvalidInput (422)
 │    ├── InvalidProblem       a problem's own files are malformed
 │    └── InvalidSubmission    not a directory, too large, unreadable, unsafe archive
 ├── Unauthorized (401)        no credentials, or expired, revoked, reused ones
 ├── Forbidden (403)           signed in, but the role may not do this
 ├── Conflict (409)            an idempotency key reused for another upload, a taken email
 ├── TooLarge (413)            an upload over the size limit
 ├── TooManyRequests (429)     a candidate over the upload rate
 └── PlatformError (503)       the grader could not do its job: never a candidate's zero
      ├── SandboxError         the container engine or a pod misbehaved
      └── ImageError           an image could not be built or found
"""


class AssayError(Exception):
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AssayError):
    status = 404


class ProblemNotFound(NotFound):
    pass


class InvalidInput(AssayError):
    status = 422


class InvalidProblem(InvalidInput):
    pass


class InvalidSubmission(InvalidInput):
    pass


class Unauthorized(AssayError):
    status = 401


class Forbidden(AssayError):
    status = 403


class Conflict(AssayError):
    status = 409


class TooLarge(AssayError):
    status = 413


class TooManyRequests(AssayError):
    status = 429

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class PlatformError(AssayError):
    status = 503


class SandboxError(PlatformError):
    pass


class ImageError(PlatformError):
    pass
