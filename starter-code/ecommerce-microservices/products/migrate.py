"""Create the `products` schema and its tables: `python -m products.migrate`."""


def main() -> None:
    """Bring the `products` schema up to date; must be safe to run on every start."""
    # TODO: CREATE SCHEMA IF NOT EXISTS products, then create or migrate its tables.


if __name__ == "__main__":
    main()
