"""Run a submission's stages in isolation; knows nothing of scoring, databases or queues."""
