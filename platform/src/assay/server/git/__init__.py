"""Git intake: each invitation's remote over smart HTTP, served by Git's own ``http-backend``.

A push to ``main`` submits the pushed commit's tree (``git archive``: never an untracked file)
with its history, which reviewers read against the invitation's time box.
"""
