"""The dashboard: server-rendered pages for reviewers and candidates, on the same services."""
