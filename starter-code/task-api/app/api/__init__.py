"""HTTP routes (layer 1 of 4): parse the request, call a service, shape the response.

TODO: the routers for /auth, /users/me, /projects (with members) and
/projects/{project_id}/tasks, and a dependency that authenticates the bearer token.
"""
