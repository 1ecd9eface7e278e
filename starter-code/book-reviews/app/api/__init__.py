"""HTTP routes (layer 1 of 4): parse the request, call a service, shape the response.

TODO: the routers for /books and /books/{book_id}/reviews.
"""
