"""Problems as the service shows them: the catalog, statements and candidate bundles."""
