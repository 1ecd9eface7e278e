"""What the API says of a problem."""

from pydantic import BaseModel, ConfigDict

from assay.catalog.loader import Problem


class ProblemRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "book-reviews",
                    "title": "Book Reviews API",
                    "version": "1.0.0",
                    "difficulty": "intermediate",
                    "time_box": "2-3 hours",
                    "stack": ["python", "fastapi", "postgresql", "redis"],
                }
            ]
        }
    )

    slug: str
    title: str
    version: str
    difficulty: str
    time_box: str
    stack: list[str]
    statement_html: str | None = None

    @classmethod
    def of(cls, problem: Problem, statement_html: str | None = None) -> "ProblemRead":
        spec = problem.spec
        return cls(
            slug=spec.slug,
            title=spec.title,
            version=spec.version,
            difficulty=spec.difficulty,
            time_box=spec.time_box,
            stack=list(spec.stack),
            statement_html=statement_html,
        )


class ProblemList(BaseModel):
    items: list[ProblemRead]
