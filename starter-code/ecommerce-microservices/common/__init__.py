"""Code the services may share (never one service's own logic): see the statement."""
