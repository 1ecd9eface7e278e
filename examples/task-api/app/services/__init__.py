"""Use cases: authenticate, authorize, and apply the rules; no HTTP here.

Services flush but never commit; the request that calls them owns the transaction.
"""
