"""The user service: accounts, passwords, access tokens and profiles (schema `users`)."""
