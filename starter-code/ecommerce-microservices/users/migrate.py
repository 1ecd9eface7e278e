"""Create the `users` schema and its tables: `python -m users.migrate`."""


def main() -> None:
    """Bring the `users` schema up to date; must be safe to run on every start."""
    # TODO: CREATE SCHEMA IF NOT EXISTS users, then create or migrate its tables.


if __name__ == "__main__":
    main()
