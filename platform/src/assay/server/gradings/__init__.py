"""Gradings: each attempt at grading a submission, run by a worker with the engine."""
