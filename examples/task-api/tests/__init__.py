"""The service's own tests; they need DATABASE_URL of a throwaway database and JWT_SECRET."""
