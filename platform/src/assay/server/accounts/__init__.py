"""Who may use Assay: users and roles, sign-in tokens, API tokens, invitations."""
