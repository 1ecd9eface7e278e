"""Submissions: uploads checked and stored by content, listed, and queued for grading."""
