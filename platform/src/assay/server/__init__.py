"""The service: API, workers and dashboard, built on the engine's public API."""
