"""Book Reviews: books, their reviews, and a cached book list."""
