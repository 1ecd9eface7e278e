"""Pull-request grading: repositories a team registers, the webhooks GitHub and GitLab send
for them, and what Assay reports back (a commit status, one pull-request comment).

The webhook only records what to grade; a task fetches the head commit from the provider's
API, and another reports back once the grading ends, each retried on its own.
"""
