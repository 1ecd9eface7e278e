"""Database access: queries over the models, one module per table. Never commits."""
