"""What every service shares: the error tree, the database plumbing and the service header."""
