"""Book Reviews."""
