"""Create the `orders` schema and its tables: `python -m orders.migrate`."""


def main() -> None:
    """Bring the `orders` schema up to date; must be safe to run on every start."""
    # TODO: CREATE SCHEMA IF NOT EXISTS orders, then create or migrate its tables.


if __name__ == "__main__":
    main()
