"""The service's own tests; they need DATABASE_URL and REDIS_URL of throwaway databases."""
