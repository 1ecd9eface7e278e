"""The product service (port 8002): catalog and stock, in the `products` schema."""
