"""The one error tree of Assay; every error carries the HTTP status it maps to.

AssayError
 ├── NotFound (404)
 │    └── ProblemNotFound
 ├── InvalidInput (422)
 │    ├── InvalidProblem       a problem's own files are malformed
 │    └── InvalidSubmission    not a directory, too large, unreadable
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


class PlatformError(AssayError):
    status = 503


class SandboxError(PlatformError):
    pass


class ImageError(PlatformError):
    pass
