"""Create the `orders` schema and its tables: `python -m orders.migrate`."""

from common.db import create_schema, make_engine
from orders.config import get_settings
from orders.models import Base


def main() -> None:
    """Bring the schema up to date; a no-op when it already is."""
    engine = make_engine(get_settings().database_url, pool_size=1)
    create_schema(engine, Base.metadata)
    engine.dispose()


if __name__ == "__main__":  # pragma: no cover
    main()
