"""Password hashing and tokens (outside the layers; the services use it).

TODO: hash and verify passwords (argon2-cffi or bcrypt), sign and verify access tokens
(PyJWT, HS256, JWT_SECRET), and issue refresh tokens that can be rotated and revoked.
"""
