"""The product service: the catalog, its stock and the stock held per order (schema `products`)."""
