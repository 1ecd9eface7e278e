"""The API gateway: the only public process; routes, authenticates, limits and protects."""
