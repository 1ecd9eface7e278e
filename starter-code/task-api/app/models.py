"""SQLAlchemy models (layer 4 of 4: may import nothing above it).

TODO: the `users`, `projects` and `tasks` tables (names fixed by the statement), project
membership with a role, and whatever you need to revoke refresh tokens; typed with
`Mapped[...]`, with foreign keys and constraints. Then generate a migration:
`alembic revision --autogenerate -m "..."`.
"""
