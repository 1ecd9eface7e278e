"""Use cases: validate against stored state, call repositories, keep the cache honest.

Services flush but never commit; the request that calls them owns the transaction.
"""
