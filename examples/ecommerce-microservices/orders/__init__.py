"""The order service: orders, the placement saga and simulated payment (schema `orders`)."""
