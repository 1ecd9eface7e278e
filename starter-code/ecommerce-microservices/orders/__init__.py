"""The order service (port 8003) and its worker: orders and the saga, in the `orders` schema."""
