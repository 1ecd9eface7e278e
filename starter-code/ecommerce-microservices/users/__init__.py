"""The user service (port 8001): accounts, login and profiles, in the `users` schema."""
